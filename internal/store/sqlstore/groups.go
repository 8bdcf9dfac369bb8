package sqlstore

import (
	"context"

	"github.com/cgip/cgip/internal/store"
)

const (
	groupColumns = `g.pool_id, g.name, g.config, g.created_at, g.updated_at, g.version`

	sqlInsertGroup = `INSERT INTO user_groups (pool_id, name, config, created_at, updated_at, version)
SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $1)
ON CONFLICT DO NOTHING`
	sqlGetGroup    = `SELECT ` + groupColumns + ` FROM user_groups g WHERE g.pool_id = $1 AND g.name = $2`
	sqlGroupExists = `SELECT 1 FROM user_groups WHERE pool_id = $1 AND name = $2`
	sqlUpdateGroup = `UPDATE user_groups SET config = $1, updated_at = $2, version = version + 1
WHERE pool_id = $3 AND name = $4 AND version = $5`
	// Memberships go with the group through ON DELETE CASCADE.
	sqlDeleteGroup = `DELETE FROM user_groups WHERE pool_id = $1 AND name = $2`
	sqlListGroups  = `SELECT ` + groupColumns + ` FROM user_groups g
WHERE g.pool_id = $1 AND g.name > $2 ORDER BY g.name LIMIT $3`

	// The EXISTS checks turn a missing group or user into "no row inserted", as for clients.
	sqlInsertMember = `INSERT INTO group_members (pool_id, group_name, username_key)
SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM user_groups WHERE pool_id = $1 AND name = $2)
AND EXISTS (SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $3)
ON CONFLICT DO NOTHING`
	sqlMemberExists      = `SELECT 1 FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3`
	sqlDeleteMember      = `DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3`
	sqlListGroupsForUser = `SELECT ` + groupColumns + ` FROM group_members m
JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
WHERE m.pool_id = $1 AND m.username_key = $2 AND m.group_name > $3 ORDER BY m.group_name LIMIT $4`
	sqlListUsersInGroup = `SELECT ` + userColumns + ` FROM group_members m
JOIN users u ON u.pool_id = m.pool_id AND u.username_key = m.username_key
WHERE m.pool_id = $1 AND m.group_name = $2 AND m.username_key > $3 ORDER BY m.username_key LIMIT $4`
)

// CreateGroup inserts g with Version 1 (timestamps as for CreateUserPool). ErrConflict if the
// name is taken, ErrNotFound if the pool does not exist.
func (o ops) CreateGroup(ctx context.Context, g *store.Group) error {
	const op = "create group"
	created, updated := createTimes(g.CreatedAt, g.UpdatedAt)
	res, err := o.q.ExecContext(ctx, sqlInsertGroup, g.PoolID, g.Name, text(g.Config), created, updated, int64(1))
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if err := o.inserted(ctx, op, res, sqlPoolIDExists, g.PoolID); err != nil {
		return err
	}
	g.CreatedAt, g.UpdatedAt, g.Version = created, updated, 1
	return nil
}

func (o ops) GetGroup(ctx context.Context, poolID, name string) (*store.Group, error) {
	gs, err := queryAll(ctx, o, "get group", scanGroup, sqlGetGroup, poolID, name)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, store.ErrNotFound
	}
	return &gs[0], nil
}

// UpdateGroup writes Config and UpdatedAt (now, if zero) when the stored Version is g.Version,
// and then increments g.Version.
func (o ops) UpdateGroup(ctx context.Context, g *store.Group) error {
	const op = "update group"
	updated := nowIfZero(g.UpdatedAt)
	res, err := o.q.ExecContext(ctx, sqlUpdateGroup, text(g.Config), updated, g.PoolID, g.Name, g.Version)
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if err := o.updated(ctx, op, res, sqlGroupExists, g.PoolID, g.Name); err != nil {
		return err
	}
	g.UpdatedAt = updated
	g.Version++
	return nil
}

func (o ops) DeleteGroup(ctx context.Context, poolID, name string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteGroup, poolID, name)
	return o.deleted(ctx, "delete group", res, err)
}

// ListGroups returns at most page.Limit groups (all of them if Limit <= 0), by name.
func (o ops) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, error) {
	return queryAll(ctx, o, "list groups", scanGroup, sqlListGroups, poolID, page.After, limit(page))
}

// AddUserToGroup adds a membership unless it exists; ErrNotFound if the group or the user does
// not exist.
func (o ops) AddUserToGroup(ctx context.Context, poolID, group, usernameKey string) error {
	const op = "add user to group"
	res, err := o.q.ExecContext(ctx, sqlInsertMember, poolID, group, usernameKey)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return o.fail(ctx, op, err)
	} else if n > 0 {
		return nil
	}
	// No row inserted: the user is a member already, or the group or the user is missing.
	switch found, err := o.exists(ctx, sqlMemberExists, poolID, group, usernameKey); {
	case err != nil:
		return o.fail(ctx, op, err)
	case found:
		return nil
	default:
		return store.ErrNotFound
	}
}

func (o ops) RemoveUserFromGroup(ctx context.Context, poolID, group, usernameKey string) error {
	if _, err := o.q.ExecContext(ctx, sqlDeleteMember, poolID, group, usernameKey); err != nil {
		return o.fail(ctx, "remove user from group", err)
	}
	return nil
}

// ListGroupsForUser returns at most page.Limit of the user's groups, by name; none for a user
// that does not exist.
func (o ops) ListGroupsForUser(ctx context.Context, poolID, usernameKey string, page store.Page) ([]store.Group, error) {
	return queryAll(ctx, o, "list groups for user", scanGroup, sqlListGroupsForUser,
		poolID, usernameKey, page.After, limit(page))
}

// ListUsersInGroup returns at most page.Limit members of the group, by username key, with their
// index rows and aliases; none for a group that does not exist.
func (o ops) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, error) {
	return o.queryUsers(ctx, "list users in group", poolID, sqlListUsersInGroup,
		poolID, group, page.After, limit(page))
}

func scanGroup(row scanner) (*store.Group, error) {
	var (
		g                store.Group
		created, updated timeScanner
	)
	if err := row.Scan(&g.PoolID, &g.Name, &g.Config, &created, &updated, &g.Version); err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt = created.t, updated.t
	return &g, nil
}

package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// client is a stored app client with its decoded settings (UserPoolClientType without the
// secret, ids and dates, which the record keeps).
type client struct {
	rec *store.Client
	doc model.UserPoolClientType
}

func (s *Service) CreateUserPoolClient(ctx context.Context, in *model.CreateUserPoolClientRequest) (*model.CreateUserPoolClientResponse, error) {
	var doc model.UserPoolClientType
	copyMembers(&doc, in)
	doc.ClientSecret, doc.UserPoolId = nil, nil
	if err := checkClientSettings(&doc); err != nil {
		return nil, err
	}
	applyClientDefaults(&doc)
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := checkClientAttributes(p, &doc, "creating"); err != nil {
		return nil, err
	}
	var secret string
	switch {
	case in.ClientSecret != nil:
		secret = *in.ClientSecret
	case in.GenerateSecret != nil && *in.GenerateSecret:
		secret = newClientSecret()
	}
	now := s.now()
	c := &client{doc: doc, rec: &store.Client{PoolID: p.rec.ID, Name: *in.ClientName, CreatedAt: now, UpdatedAt: now}}
	for attempt := 0; ; attempt++ {
		c.rec.ID = newClientID()
		if secret != "" {
			c.rec.Secret = s.sealer.Seal([]byte(secret), secretLabel(c.rec.ID))
		}
		if err = c.encode(); err != nil {
			return nil, err
		}
		err = s.st.CreateClient(ctx, c.rec)
		if !errors.Is(err, store.ErrConflict) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return &model.CreateUserPoolClientResponse{UserPoolClient: s.clientView(c, secret)}, nil
}

func (s *Service) DescribeUserPoolClient(ctx context.Context, in *model.DescribeUserPoolClientRequest) (*model.DescribeUserPoolClientResponse, error) {
	_, c, err := s.getClient(ctx, s.st, *in.UserPoolId, *in.ClientId)
	if err != nil {
		return nil, err
	}
	secret, err := s.clientSecret(c)
	if err != nil {
		return nil, err
	}
	return &model.DescribeUserPoolClientResponse{UserPoolClient: s.clientView(c, secret)}, nil
}

// UpdateUserPoolClient replaces the client's settings; as in Cognito, what the request leaves
// out returns to its default. The secret and the name (when not given) stay.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *model.UpdateUserPoolClientRequest) (*model.UpdateUserPoolClientResponse, error) {
	var doc model.UserPoolClientType
	copyMembers(&doc, in)
	doc.UserPoolId, doc.ClientId = nil, nil
	if err := checkClientSettings(&doc); err != nil {
		return nil, err
	}
	applyClientDefaults(&doc)
	var c *client
	err := retryOnConflict(ctx, func() error {
		p, found, err := s.getClient(ctx, s.st, *in.UserPoolId, *in.ClientId)
		if err != nil {
			return err
		}
		if err := checkClientAttributes(p, &doc, "updating"); err != nil {
			return err
		}
		c = found
		if in.ClientName != nil {
			c.rec.Name = *in.ClientName
		}
		c.doc = doc
		c.rec.UpdatedAt = s.now()
		if err := c.encode(); err != nil {
			return err
		}
		return s.st.UpdateClient(ctx, c.rec)
	})
	if err != nil {
		return nil, err
	}
	secret, err := s.clientSecret(c)
	if err != nil {
		return nil, err
	}
	return &model.UpdateUserPoolClientResponse{UserPoolClient: s.clientView(c, secret)}, nil
}

func (s *Service) DeleteUserPoolClient(ctx context.Context, in *model.DeleteUserPoolClientRequest) error {
	return s.st.InTx(ctx, func(tx store.Tx) error {
		_, c, err := s.getClient(ctx, tx, *in.UserPoolId, *in.ClientId)
		if err != nil {
			return err
		}
		return tx.DeleteClient(ctx, c.rec.PoolID, c.rec.ID)
	})
}

func (s *Service) ListUserPoolClients(ctx context.Context, in *model.ListUserPoolClientsRequest) (*model.ListUserPoolClientsResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	page, err := pageOf(in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	recs, err := s.st.ListClients(ctx, p.rec.ID, page.fetch())
	if err != nil {
		return nil, err
	}
	out := &model.ListUserPoolClientsResponse{UserPoolClients: []model.UserPoolClientDescription{}}
	recs, more := trimPage(page, recs)
	if more {
		out.NextToken = encodePageToken(recs[len(recs)-1].ID)
	}
	for i := range recs {
		out.UserPoolClients = append(out.UserPoolClients, model.UserPoolClientDescription{
			ClientId: &recs[i].ID, ClientName: &recs[i].Name, UserPoolId: &recs[i].PoolID,
		})
	}
	return out, nil
}

// getClient finds a client of a pool the caller can see. Cognito names the pool when the pool
// is missing and the client when the client is.
func (s *Service) getClient(ctx context.Context, tx store.Tx, poolID, clientID string) (*pool, *client, error) {
	p, err := s.getPool(ctx, tx, poolID)
	if err != nil {
		return nil, nil, err
	}
	rec, err := tx.GetClient(ctx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, apierr.ClientNotFound(clientID)
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeClient(rec)
	return p, c, err
}

func decodeClient(rec *store.Client) (*client, error) {
	c := &client{rec: rec}
	if err := json.Unmarshal(rec.Config, &c.doc); err != nil {
		return nil, fmt.Errorf("userpool: client %s: corrupt config: %w", rec.ID, err)
	}
	return c, nil
}

// checkClientAttributes refuses read or write permissions on attributes the pool does not
// have (captured texts: "Invalid read attributes specified while creating a client",
// "Invalid write attributes specified while updating a client").
func checkClientAttributes(p *pool, c *model.UserPoolClientType, doing string) error {
	known := func(names []string, writing bool) bool {
		for _, n := range names {
			ok := false
			for _, a := range p.doc.Pool.SchemaAttributes {
				if *a.Name == n && !strings.HasPrefix(n, "dev:") && (!writing || n != "sub") {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	if !known(c.ReadAttributes, false) {
		return apierr.InvalidParameter("Invalid read attributes specified while %s a client", doing)
	}
	if !known(c.WriteAttributes, true) {
		return apierr.InvalidParameter("Invalid write attributes specified while %s a client", doing)
	}
	return nil
}

func (c *client) encode() error {
	b, err := json.Marshal(c.doc)
	if err != nil {
		return err
	}
	c.rec.Config = b
	return nil
}

func secretLabel(clientID string) string { return "client-secret:" + clientID }

// clientSecret decrypts the client's secret ("" when it has none).
func (s *Service) clientSecret(c *client) (string, error) {
	if c.rec.Secret == nil {
		return "", nil
	}
	b, err := s.sealer.Open(c.rec.Secret, secretLabel(c.rec.ID))
	if err != nil {
		return "", fmt.Errorf("userpool: client %s: %w", c.rec.ID, err)
	}
	return string(b), nil
}

func (s *Service) clientView(c *client, secret string) *model.UserPoolClientType {
	v := c.doc
	v.UserPoolId = ptr(c.rec.PoolID)
	v.ClientId = ptr(c.rec.ID)
	v.ClientName = ptr(c.rec.Name)
	v.CreationDate = model.NewTime(c.rec.CreatedAt)
	v.LastModifiedDate = model.NewTime(c.rec.UpdatedAt)
	if secret != "" {
		v.ClientSecret = ptr(secret)
	}
	return &v
}

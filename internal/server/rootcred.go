package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

const rootSecretName = "root-credential"

type rootCredential struct {
	AccessKeyID     string
	SecretAccessKey string
}

// loadRootCredential uses the configured key pair, or the stored one, or generates, stores
// (sealed) and announces a new one. Several nodes starting at once agree on one.
func loadRootCredential(ctx context.Context, cfg *Config, st store.Store, sealer *seal.Sealer, announce io.Writer) (rootCredential, error) {
	if cfg.RootAccessKeyID != "" {
		return rootCredential{cfg.RootAccessKeyID, cfg.RootSecretAccessKey}, nil
	}
	open := func(sealed []byte) (rootCredential, error) {
		var c rootCredential
		pt, err := sealer.Open(sealed, rootSecretName)
		if err != nil {
			return c, fmt.Errorf("root credential: %w (is the master key the one this database was created with?)", err)
		}
		return c, json.Unmarshal(pt, &c)
	}
	sealed, err := st.GetSecret(ctx, rootSecretName)
	if err == nil {
		return open(sealed)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return rootCredential{}, err
	}
	fresh := rootCredential{AccessKeyID: principals.NewAccessKeyID(), SecretAccessKey: principals.NewSecretAccessKey()}
	pt, _ := json.Marshal(fresh)
	stored, err := st.PutSecretIfAbsent(ctx, rootSecretName, sealer.Seal(pt, rootSecretName))
	if err != nil {
		return rootCredential{}, err
	}
	c, err := open(stored)
	if err != nil {
		return c, err
	}
	if c.AccessKeyID == fresh.AccessKeyID {
		fmt.Fprintf(announce, "cgip: generated the root credential (shown only now; set CGIP_ROOT_ACCESS_KEY_ID/CGIP_ROOT_SECRET_ACCESS_KEY to choose your own):\n"+
			"  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n", c.AccessKeyID, c.SecretAccessKey)
	}
	return c, nil
}

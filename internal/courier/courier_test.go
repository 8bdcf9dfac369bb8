package courier

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/courier/transport"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
)

// scripted is a transport that answers with the next scripted error.
type scripted struct {
	mu      sync.Mutex
	answers []error
	sent    []*transport.Envelope
}

func (s *scripted) Name() string { return "smtp" }
func (s *scripted) Send(_ context.Context, e *transport.Envelope) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, e)
	if len(s.answers) == 0 {
		return nil
	}
	err := s.answers[0]
	s.answers = s.answers[1:]
	return err
}

// fixture is a courier on an in-memory store with a controllable clock.
type fixture struct {
	c   *Courier
	st  store.Store
	now time.Time
}

func newFixture(t *testing.T, smtp transport.Transport, maxAttempts int) *fixture {
	st, err := sqlstore.Open(context.Background(), ":memory:", sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, _ := seal.New(bytes.Repeat([]byte{3}, seal.KeySize))
	f := &fixture{st: st, now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	f.c = New(Config{Store: st, Sealer: sealer, SMTP: smtp, MaxAttempts: maxAttempts, Now: func() time.Time { return f.now }})
	if err := st.CreateUserPool(context.Background(), &store.UserPool{Region: "us-east-1", AccountID: "000000000000", ID: "us-east-1_test", Name: "t", Config: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) enqueue(t *testing.T) {
	err := f.st.InTx(context.Background(), func(tx store.Tx) error {
		return f.c.Enqueue(context.Background(), tx, Message{AccountID: "000000000000", PoolID: "us-east-1_test", Username: "u",
			Kind: "AdminCreateUser", Channel: Email, To: "u@example.com", Subject: "s", Body: "code 123456", Code: "123456"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) only(t *testing.T) store.Message {
	msgs, err := f.st.ListMessages(context.Background(), store.MessageQuery{})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	return msgs[0]
}

func TestRetryThenSend(t *testing.T) {
	tr := &scripted{answers: []error{errors.New("451 try later")}}
	f := newFixture(t, tr, 5)
	f.enqueue(t)
	ctx := context.Background()
	if n := f.c.deliverBatch(ctx); n != 1 {
		t.Fatalf("claimed %d", n)
	}
	m := f.only(t)
	if m.Status != store.MessageQueued || m.Attempts != 1 || !m.NextAttemptAt.After(f.now) || m.Error != "451 try later" {
		t.Fatalf("after a temporary failure: %+v", m)
	}
	if n := f.c.deliverBatch(ctx); n != 0 {
		t.Fatal("a message was retried before its backoff ran out")
	}
	f.now = f.now.Add(10 * time.Minute)
	f.c.deliverBatch(ctx)
	if m := f.only(t); m.Status != store.MessageSent || m.Attempts != 2 || m.SentAt.IsZero() {
		t.Fatalf("after the retry: %+v", m)
	}
	if len(tr.sent) != 2 || tr.sent[1].Body != "code 123456" || tr.sent[1].From != BuiltInSender {
		t.Fatalf("sent %+v", tr.sent)
	}
}

func TestPermanentFailureAndLastAttempt(t *testing.T) {
	f := newFixture(t, &scripted{answers: []error{transport.Permanent{Err: errors.New("550 no such user")}}}, 5)
	f.enqueue(t)
	f.c.deliverBatch(context.Background())
	if m := f.only(t); m.Status != store.MessageFailed || m.Attempts != 1 {
		t.Fatalf("a permanent error must fail at once: %+v", m)
	}

	f = newFixture(t, &scripted{answers: []error{errors.New("down"), errors.New("down")}}, 2)
	f.enqueue(t)
	f.c.deliverBatch(context.Background())
	f.now = f.now.Add(time.Hour)
	f.c.deliverBatch(context.Background())
	if m := f.only(t); m.Status != store.MessageFailed || m.Attempts != 2 {
		t.Fatalf("after the last attempt: %+v", m)
	}
}

func TestDeliveredBodiesArePurged(t *testing.T) {
	f := newFixture(t, &scripted{}, 5)
	f.enqueue(t)
	f.c.deliverBatch(context.Background())
	if n, err := f.st.PurgeMessages(context.Background(), f.now.Add(-f.c.cfg.Retention)); err != nil || n != 0 {
		t.Fatalf("purged %d before the retention ran out (%v)", n, err)
	}
	f.now = f.now.Add(25 * time.Hour)
	if n, err := f.st.PurgeMessages(context.Background(), f.now.Add(-f.c.cfg.Retention)); err != nil || n != 1 {
		t.Fatalf("purged %d after the retention (%v)", n, err)
	}
	if m := f.only(t); m.Payload != nil {
		t.Fatal("payload kept")
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	for attempts, max := range map[int]time.Duration{1: time.Second, 3: 4 * time.Second, 20: 5 * time.Minute} {
		for range 20 {
			if d := backoff(attempts); d < max/2 || d > max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempts, d, max/2, max)
			}
		}
	}
}

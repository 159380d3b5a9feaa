// Package live tells the open pages of a person that they have a new alert, whichever instance
// serves them. The domain announces each alert's person on commit (pg_notify on
// referral.LiveChannel); every instance runs a Hub that listens there and wakes the pages that
// subscribed for that person. It is plumbing beside the domain: it holds no rule and no record.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/jackc/pgx/v5"
)

// Hub tells the open pages of a person, on this instance, that they have a new alert. Every
// instance listens on referral.LiveChannel, where the domain announces each alert's person on
// commit, so a person hears of it whichever instance serves their page.
type Hub struct {
	mu        sync.Mutex
	subs      map[uuid.UUID]map[chan struct{}]struct{}
	ready     chan struct{}
	readyOnce sync.Once
}

// New returns a Hub with nobody listening yet; Run connects it to the database.
func New() *Hub {
	return &Hub{subs: map[uuid.UUID]map[chan struct{}]struct{}{}, ready: make(chan struct{})}
}

// Ready is closed once Run first listens: alerts committed from then on are heard.
func (l *Hub) Ready() <-chan struct{} { return l.ready }

// Subscribe returns a channel that receives a signal when user has a new alert (signals
// coalesce: one waiting signal stands for any number), and a function to stop.
func (l *Hub) Subscribe(user uuid.UUID) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	l.mu.Lock()
	if l.subs[user] == nil {
		l.subs[user] = map[chan struct{}]struct{}{}
	}
	l.subs[user][ch] = struct{}{}
	l.mu.Unlock()
	return ch, func() {
		l.mu.Lock()
		delete(l.subs[user], ch)
		if len(l.subs[user]) == 0 {
			delete(l.subs, user)
		}
		l.mu.Unlock()
	}
}

// signal wakes user's subscribers, or everybody's when user is uuid.Nil.
func (l *Hub) signal(user uuid.UUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for u, chans := range l.subs {
		if user != uuid.Nil && u != user {
			continue
		}
		for ch := range chans {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// Run listens on referral.LiveChannel with a connection of its own until ctx ends, connecting again
// after a lost connection (and then waking everybody, who may have missed an alert meanwhile).
func (l *Hub) Run(ctx context.Context, cfg *pgx.ConnConfig, log *slog.Logger) {
	wait := time.Second
	for ctx.Err() == nil {
		began := time.Now()
		err := l.listen(ctx, cfg)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute { // it was listening: a new loss starts the waits again
			wait = time.Second
		}
		log.Warn("live alerts: listening again", "error", err.Error())
		l.signal(uuid.Nil)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (l *Hub) listen(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+referral.LiveChannel); err != nil {
		return err
	}
	l.readyOnce.Do(func() { close(l.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if user, err := uuid.Parse(n.Payload); err == nil {
			l.signal(user)
		}
	}
}

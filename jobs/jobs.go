// Package jobs runs Harbour's background work on River, a job queue in PostgreSQL, so that work
// survives restarts and runs once however many instances are up. It holds only the wiring and
// thin workers; what each job does lives in referral. (It is its own package because it is
// neither the domain, nor HTTP, and referral does not depend on a queue.)
package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/harbour-nrm/harbour/referral"
)

// ExpireHoldsArgs asks for holds past their time to be marked expired.
type ExpireHoldsArgs struct{}

// Kind names the job in the queue.
func (ExpireHoldsArgs) Kind() string { return "expire_holds" }

// expireHolds runs referral.ExpireHolds.
type expireHolds struct {
	river.WorkerDefaults[ExpireHoldsArgs]
	domain *referral.Domain
	log    *slog.Logger
}

func (w *expireHolds) Work(ctx context.Context, _ *river.Job[ExpireHoldsArgs]) error {
	n, err := w.domain.ExpireHolds(ctx)
	if n > 0 {
		w.log.Info("holds expired", "count", n)
	}
	return err
}

// EscalateArgs asks for referrals unanswered past their window to be expired (their referrers
// alerted) and for shelters to be told of holds about to lapse.
type EscalateArgs struct{}

// Kind names the job in the queue.
func (EscalateArgs) Kind() string { return "escalate" }

// escalate runs referral.ExpireReferrals and referral.AlertLapsingHolds.
type escalate struct {
	river.WorkerDefaults[EscalateArgs]
	domain *referral.Domain
	log    *slog.Logger
}

func (w *escalate) Work(ctx context.Context, _ *river.Job[EscalateArgs]) error {
	n, err := w.domain.ExpireReferrals(ctx)
	if n > 0 {
		w.log.Info("referrals expired", "count", n)
	}
	if err != nil {
		return err
	}
	h, err := w.domain.AlertLapsingHolds(ctx)
	if h > 0 {
		w.log.Info("shelters told of lapsing holds", "count", h)
	}
	return err
}

// DeliverMailArgs asks for due notification e-mails to be sent.
type DeliverMailArgs struct{}

// Kind names the job in the queue.
func (DeliverMailArgs) Kind() string { return "deliver_mail" }

// deliverMail runs referral.DeliverMail with the configured sender.
type deliverMail struct {
	river.WorkerDefaults[DeliverMailArgs]
	domain *referral.Domain
	send   Send
	log    *slog.Logger
}

func (w *deliverMail) Work(ctx context.Context, _ *river.Job[DeliverMailArgs]) error {
	n, err := w.domain.DeliverMail(ctx, w.send)
	if n > 0 {
		w.log.Info("notification e-mails sent", "count", n)
	}
	return err
}

// Send sends one notification e-mail (see Mailer).
type Send func(context.Context, referral.Mail) error

// Queue is a River client working Harbour's jobs.
type Queue struct {
	client *river.Client[pgx.Tx]
}

// HoldSweep is how often expired holds are recorded as such. Beds are free the moment a hold's
// time passes whatever this is; the sweep makes the records and the audit trail say so.
const HoldSweep = time.Minute

// EscalationSweep is how often response windows and lapsing holds are checked: an unanswered
// referral is noticed within this of its window's end.
const EscalationSweep = time.Minute

// MailSweep is how often due e-mails are sent.
const MailSweep = 15 * time.Second

// New prepares the queue on the pool; Start begins working. send delivers notification
// e-mails; with nil, e-mails wait.
func New(pool *pgxpool.Pool, d *referral.Domain, log *slog.Logger, send Send) (*Queue, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &expireHolds{domain: d, log: log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &escalate{domain: d, log: log}); err != nil {
		return nil, err
	}
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(HoldSweep),
			func() (river.JobArgs, *river.InsertOpts) { return ExpireHoldsArgs{}, nil },
			&river.PeriodicJobOpts{ID: "expire_holds", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(EscalationSweep),
			func() (river.JobArgs, *river.InsertOpts) { return EscalateArgs{}, nil },
			&river.PeriodicJobOpts{ID: "escalate", RunOnStart: true}),
	}
	if send != nil {
		if err := river.AddWorkerSafely(workers, &deliverMail{domain: d, send: send, log: log}); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(MailSweep),
			func() (river.JobArgs, *river.InsertOpts) { return DeliverMailArgs{}, nil },
			&river.PeriodicJobOpts{ID: "deliver_mail", RunOnStart: true}))
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:      workers,
		Logger:       log,
		PeriodicJobs: periodic,
	})
	if err != nil {
		return nil, err
	}
	return &Queue{client: client}, nil
}

// Enqueue asks for a job to run now, whatever its schedule (e.g. e-mail after a burst).
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs) error {
	_, err := q.client.Insert(ctx, args, nil)
	return err
}

// Start begins working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop finishes the jobs under way (for up to the context's deadline) and stops.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

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

// EscalateArgs asks for referrals unanswered past their window to be expired (their referrers
// alerted), for shelters to be told of holds about to lapse, and for the NRM's reminders and
// overdue alerts.
type EscalateArgs struct{}

// Kind names the job in the queue.
func (EscalateArgs) Kind() string { return "escalate" }

// DeliverMailArgs asks for due notification e-mails to be sent.
type DeliverMailArgs struct{}

// Kind names the job in the queue.
func (DeliverMailArgs) Kind() string { return "deliver_mail" }

// part is one sweep of the domain's: it handles what is due and says how many it handled.
type part struct {
	run  func(context.Context) (int, error)
	done string // the log message when it handled any
}

// sweep is a job that runs its parts in turn: every Harbour job is such a sweep, safe to run on
// several instances at once because each part takes its records under row locks.
type sweep[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	parts []part
	log   *slog.Logger
}

func (w *sweep[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	for _, p := range w.parts {
		n, err := p.run(ctx)
		if n > 0 {
			w.log.Info(p.done, "count", n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// schedule adds a sweep to workers and runs it every interval (and at start), and returns its
// periodic job.
func schedule[A river.JobArgs](workers *river.Workers, log *slog.Logger, args A, every time.Duration, parts ...part) (*river.PeriodicJob, error) {
	if err := river.AddWorkerSafely[A](workers, &sweep[A]{parts: parts, log: log}); err != nil {
		return nil, err
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}), nil
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
	holds, err := schedule(workers, log, ExpireHoldsArgs{}, HoldSweep, part{d.ExpireHolds, "holds expired"})
	if err != nil {
		return nil, err
	}
	escalation, err := schedule(workers, log, EscalateArgs{}, EscalationSweep,
		part{d.ExpireReferrals, "referrals expired"}, part{d.AlertLapsingHolds, "shelters told of lapsing holds"},
		part{d.NRMDeadlines, "NRM records reminded or alerted"})
	if err != nil {
		return nil, err
	}
	periodic := []*river.PeriodicJob{holds, escalation}
	if send != nil {
		deliver := func(ctx context.Context) (int, error) { return d.DeliverMail(ctx, send) }
		mail, err := schedule(workers, log, DeliverMailArgs{}, MailSweep, part{deliver, "notification e-mails sent"})
		if err != nil {
			return nil, err
		}
		periodic = append(periodic, mail)
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

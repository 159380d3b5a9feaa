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

// Queue is a River client working Harbour's jobs.
type Queue struct {
	client *river.Client[pgx.Tx]
}

// HoldSweep is how often expired holds are recorded as such. Beds are free the moment a hold's
// time passes whatever this is; the sweep makes the records and the audit trail say so.
const HoldSweep = time.Minute

// New prepares the queue on the pool; Start begins working.
func New(pool *pgxpool.Pool, d *referral.Domain, log *slog.Logger) (*Queue, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &expireHolds{domain: d, log: log}); err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers: workers,
		Logger:  log,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(HoldSweep),
				func() (river.JobArgs, *river.InsertOpts) { return ExpireHoldsArgs{}, nil },
				&river.PeriodicJobOpts{ID: "expire_holds", RunOnStart: true}),
		},
	})
	if err != nil {
		return nil, err
	}
	return &Queue{client: client}, nil
}

// Start begins working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop finishes the jobs under way (for up to the context's deadline) and stops.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

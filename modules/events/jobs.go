package events

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/arenaesports/arena/db"
)

// InsertOpts implements river.JobArgsWithInsertOpts: the purge runs on db.QueueMaintenance.
func (PurgeArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMaintenance} }

// PurgeWorker runs PurgeArgs; running it twice is harmless.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	return w.Service.purge(ctx)
}

// AddWorkers registers the module's workers and its hourly purge with River.
func (s *Service) AddWorkers(workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &PurgeWorker{Service: s})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

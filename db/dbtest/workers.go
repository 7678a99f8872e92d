package dbtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena/db"
)

// HangGuard is how long WaitIdle waits for the next job to finish before it calls the
// queue stuck. It never decides a test that works; it only ends one that would hang.
const HangGuard = time.Minute

// T is what waiting for jobs needs of a test: *testing.T and *testing.B, and rapid's *T in
// a property's steps, all provide it.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Workers is a River client working jobs during a test, as `arena serve` does, with a
// subscription to the jobs it finishes.
type Workers struct {
	// Client is the working client; tests may insert, list and retry jobs with it.
	Client *river.Client[pgx.Tx]
	events <-chan *river.Event
}

// StartWorkers starts a River client working the jobs of workers on pool; it stops when
// the test ends.
func StartWorkers(tb testing.TB, pool *pgxpool.Pool, workers *river.Workers) *Workers {
	tb.Helper()
	queues := make(map[string]river.QueueConfig, len(db.Queues))
	for name, n := range db.Queues {
		queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Queues: queues, Workers: workers,
		JobTimeout: db.JobTimeout, RescueStuckJobsAfter: db.RescueStuckJobsAfter,
		FetchCooldown: 20 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	if err != nil {
		tb.Fatalf("dbtest: river client: %v", err)
	}
	// Subscribed before the start, so no job's end goes unseen.
	events, unsubscribe := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	if err := c.Start(context.Background()); err != nil {
		tb.Fatalf("dbtest: start river: %v", err)
	}
	tb.Cleanup(func() {
		unsubscribe()
		if err := c.Stop(context.Background()); err != nil {
			tb.Errorf("dbtest: stop river: %v", err)
		}
	})
	return &Workers{Client: c, events: events}
}

// WaitIdle returns once no job is available or running: every job enqueued so far, and
// every job those enqueued, has run. Scheduled jobs wait for their time (RunNow makes them
// due). It wakes on River's job events, not on a timer; a failed job fails tb at once.
func (w *Workers) WaitIdle(tb T) {
	tb.Helper()
	for {
		w.requireNoFailure(tb)
		left, err := w.Client.JobList(context.Background(),
			river.NewJobListParams().States(rivertype.JobStateAvailable, rivertype.JobStateRunning).First(100))
		if err != nil {
			tb.Fatalf("dbtest: list jobs: %v", err)
		}
		if len(left.Jobs) == 0 {
			return
		}
		select {
		case ev := <-w.events:
			requireCompleted(tb, ev)
		case <-time.After(HangGuard):
			tb.Fatalf("dbtest: River jobs still to run after %s: %s", HangGuard, jobKinds(left.Jobs))
		}
	}
}

// RunNow makes scheduled jobs due at once, as their time coming would (River's JobRetry
// moves a job's scheduled time to now). WaitIdle then waits for them.
func (w *Workers) RunNow(tb T, jobs ...*rivertype.JobRow) {
	tb.Helper()
	for _, j := range jobs {
		if j.State != rivertype.JobStateScheduled {
			tb.Fatalf("dbtest: job %d (%s) is %s, not scheduled", j.ID, j.Kind, j.State)
		}
		if _, err := w.Client.JobRetry(context.Background(), j.ID); err != nil {
			tb.Fatalf("dbtest: make job %d due: %v", j.ID, err)
		}
	}
}

// requireNoFailure fails tb if a job has failed since the last look.
func (w *Workers) requireNoFailure(tb T) {
	tb.Helper()
	for {
		select {
		case ev := <-w.events:
			requireCompleted(tb, ev)
		default:
			return
		}
	}
}

func requireCompleted(tb T, ev *river.Event) {
	tb.Helper()
	if ev.Kind == river.EventKindJobFailed {
		tb.Fatalf("dbtest: River job %s (%d) failed: %v", ev.Job.Kind, ev.Job.ID, ev.Job.Errors)
	}
}

func jobKinds(jobs []*rivertype.JobRow) string {
	kinds := make([]string, len(jobs))
	for i, j := range jobs {
		kinds[i] = fmt.Sprintf("%s (%s)", j.Kind, j.State)
	}
	return strings.Join(kinds, ", ")
}

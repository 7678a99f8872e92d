package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
)

// hangGuard is how long waitIdle waits for the next job to finish before it calls the
// queue stuck. It never decides a test that works; it only ends one that would hang.
const hangGuard = time.Minute

// workers is a River client working the app's jobs during a test, as `arena serve` does.
type workers struct {
	client *river.Client[pgx.Tx]
	events <-chan *river.Event
}

// startWorkers works the app's River jobs until the test ends.
func (h *harness) startWorkers(t testing.TB) *workers {
	t.Helper()
	c, err := river.NewClient(riverpgxv5.New(h.pool), &river.Config{Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers: h.app.Workers, FetchCooldown: 20 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	require.NoError(t, err)
	// Subscribed before the start, so no job's end goes unseen.
	events, unsubscribe := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() {
		unsubscribe()
		require.NoError(t, c.Stop(context.Background()))
	})
	return &workers{client: c, events: events}
}

// waitIdle returns once no job is available or running: every job enqueued so far, and
// every job those enqueued, has run. Scheduled jobs are left for later (runNow makes them
// due). It wakes on River's job events; a failed job fails t at once.
func (w *workers) waitIdle(t testingT) {
	t.Helper()
	ctx := context.Background()
	for {
		w.requireNoFailure(t)
		left, err := w.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateAvailable, rivertype.JobStateRunning).First(100))
		require.NoError(t, err)
		if len(left.Jobs) == 0 {
			return
		}
		select {
		case ev := <-w.events:
			requireCompleted(t, ev)
		case <-time.After(hangGuard):
			require.FailNow(t, "River jobs did not finish", "still to run after %s: %s", hangGuard, jobKinds(left.Jobs))
		}
	}
}

// runNow makes scheduled jobs due at once, as their time coming would (JobRetry moves a
// job's scheduled time to now).
func (w *workers) runNow(t testingT, jobs ...*rivertype.JobRow) {
	t.Helper()
	for _, j := range jobs {
		require.Equal(t, rivertype.JobStateScheduled, j.State, "job %d (%s)", j.ID, j.Kind)
		_, err := w.client.JobRetry(context.Background(), j.ID)
		require.NoError(t, err)
	}
}

// requireNoFailure fails t if a job has failed since the last look.
func (w *workers) requireNoFailure(t testingT) {
	t.Helper()
	for {
		select {
		case ev := <-w.events:
			requireCompleted(t, ev)
		default:
			return
		}
	}
}

func requireCompleted(t testingT, ev *river.Event) {
	t.Helper()
	if ev.Kind == river.EventKindJobFailed {
		require.FailNow(t, "a River job failed", "%s (job %d): %v", ev.Job.Kind, ev.Job.ID, ev.Job.Errors)
	}
}

func jobKinds(jobs []*rivertype.JobRow) string {
	kinds := make([]string, len(jobs))
	for i, j := range jobs {
		kinds[i] = fmt.Sprintf("%s (%s)", j.Kind, j.State)
	}
	return strings.Join(kinds, ", ")
}

package db

import "time"

// River queues, one per kind of work, each with its own workers: a burst of one kind (a
// thousand registration notices) never delays another (a refund chunk). Every job args type
// names its queue in InsertOpts.
const (
	// QueueMoney runs the chunks that move money: refunds, and the lifecycle jobs that end
	// entries and start refunds.
	QueueMoney = "money"
	// QueueNotices runs the per-player notices.
	QueueNotices = "notices"
	// QueueMatches runs the bracket's follow-ups: Swiss pairing, auto-confirmation, the
	// ratings of a completed tournament.
	QueueMatches = "matches"
	// QueueMaintenance runs the periodic purges.
	QueueMaintenance = "maintenance"
	// QueueWebhooks runs the deliveries, one job per endpoint: a slow receiver holds one
	// worker for at most its ten seconds.
	QueueWebhooks = "webhooks"
)

// Queues lists every queue with the workers a process gives it. River fetches at most a
// queue's free workers per fetch, and fetches again after its cooldown (100 ms), so workers
// bound a queue's rate: notices, tiny and made by every join, get 100 (up to about 1 000
// jobs/s) so that they keep up with the joins; money chunks of one tournament run one after
// another (each enqueues the next), so four serve four tournaments' refunds at once.
var Queues = map[string]int{QueueMoney: 4, QueueNotices: 100, QueueMatches: 10, QueueMaintenance: 1, QueueWebhooks: 50}

// JobTimeout is how long any job may run before River cancels its context. Every kind of
// job Arena has is a bounded chunk of set-based SQL that takes well under a second (a refund
// chunk of 500 members: about 30 ms, docs/benchmarks.md), so one timeout fits them all; a
// kind that needs longer sets it with its worker's Timeout, and RescueStuckJobsAfter must
// then stay above it.
const JobTimeout = 10 * time.Second

// RescueStuckJobsAfter is how long a job may stay running before River's rescuer (run by
// the leader every 30 s) takes it for stuck and schedules it again: a job whose process was
// killed. It is just above JobTimeout — a live job is cancelled before it could be rescued —
// so that a crash delays a chunk by seconds (leadership passes within 15 s, then one rescue
// pass), not by River's default hour.
const RescueStuckJobsAfter = JobTimeout + 5*time.Second

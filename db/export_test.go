package db

// CommitOutcome exposes commitOutcome to the tests of package db_test.
var CommitOutcome = commitOutcome

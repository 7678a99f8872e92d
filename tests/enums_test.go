package tests

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.yaml.in/yaml/v3"

	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/match"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// enumSet is one set of states or kinds that crosses files: the Go constants declared in
// one const block (the block of first, in dir), the database columns whose CHECK lists
// the set, and the places the OpenAPI document publishes it, whole or in part.
type enumSet struct {
	dir, first string
	columns    []string // "table.column"
	api        []apiEnum
}

// apiEnum is a place an enum stands in the OpenAPI document: "Schema.property" (an
// array's items count as the property) or "operation-id?parameter". It publishes the whole
// set, or only part of it, or the set without some values, or with more.
type apiEnum struct {
	at   string
	only []string
	drop []string
	add  []string
}

func whole(at ...string) []apiEnum {
	out := make([]apiEnum, len(at))
	for i, a := range at {
		out[i] = apiEnum{at: a}
	}
	return out
}

// enumSets lists every set; a set added to the code without a line here goes unchecked,
// but an enum added to the API without one fails TestEveryAPIEnumIsChecked.
func enumSets() map[string]enumSet {
	return map[string]enumSet{
		"Roles":           {dir: ".", first: "RolePlayer", columns: []string{"users.roles"}, api: whole("SetRolesRequest.roles", "User.roles", "AccountData.roles")},
		"ErrorCodes":      {dir: ".", first: "EINVALID", api: whole("Problem.code")},
		"AuditViolations": {dir: "modules/wallet", first: "ViolationUnbalancedCurrency", api: whole("Violation.kind")},
		"InviteStatuses": {dir: "modules/identity", first: "InvitePending", columns: []string{"team_invites.status"},
			api: whole("TeamInvite.status")},
		"TournamentStatuses": {dir: "modules/tournament", first: "StatusDraft", columns: []string{"tournaments.status"},
			api: append(whole("Tournament.status", "Tournament.next_statuses", "StatusStats.status", "Health.status",
				"TournamentStatusData.status", "TournamentStatusData.previous_status"),
				// Drafts are never listed, and registrations are made once published.
				apiEnum{at: "TournamentSummary.status", drop: []string{tournament.StatusDraft}},
				apiEnum{at: "discover-tournaments?status", drop: []string{tournament.StatusDraft}},
				apiEnum{at: "TournamentRef.status", drop: []string{tournament.StatusDraft}})},
		"Formats": {dir: "modules/tournament", first: "FormatSingleElimination", columns: []string{"tournaments.format"},
			api: append(whole("TournamentInput.format", "TournamentPatch.format", "Tournament.format", "TournamentSummary.format",
				"Bracket.format", "BracketData.format"), apiEnum{at: "ModelStage.type", drop: []string{tournament.FormatSwiss}})}, // brackets-model has no Swiss
		"ParticipantTypes": {dir: "modules/tournament", first: "ParticipantSolo", columns: []string{"tournaments.participant_type"},
			api: whole("TournamentInput.participant_type", "TournamentPatch.participant_type", "Tournament.participant_type",
				"TournamentSummary.participant_type", "discover-tournaments?participant_type")},
		"PaymentMethods": {dir: "modules/tournament", first: "PaymentWallet", columns: []string{"tournaments.payment_method"},
			api: whole("TournamentInput.payment_method", "TournamentPatch.payment_method", "Tournament.payment_method")},
		"CustomFieldTypes": {dir: "modules/tournament", first: "FieldText", api: whole("CustomField.type")},
		"RegistrationStatuses": {dir: "modules/registration", first: "StatusPendingPayment", columns: []string{"registrations.status"},
			api: whole("Registration.status", "MyRegistration.status", "StatusResult.status", "EntryData.status")},
		"RegistrationPayments": {dir: "modules/registration", first: "PaymentFree", columns: []string{"registrations.payment"},
			api: whole("Payment.method")},
		"VerificationStatuses": {dir: "modules/registration", first: "VerificationPending",
			columns: []string{"payment_verifications.status"}, api: whole("Payment.verification")},
		"AccountKinds": {dir: "modules/wallet", first: "KindUser", columns: []string{"wallet_accounts.kind"},
			api: whole("Counterparty.kind")},
		"TransferKinds": {dir: "modules/wallet", first: "Deposit", columns: []string{"wallet_transfers.kind"},
			api: whole("Transaction.kind", "TransferData.kind", "Transfer.kind")},
		"WithdrawalStatuses": {dir: "modules/wallet", first: "WithdrawalPending", columns: []string{"wallet_withdrawals.status"},
			api: append(whole("WithdrawalRequest.status", "list-withdrawals?status"),
				apiEnum{at: "WithdrawalData.status", drop: []string{wallet.WithdrawalPending}})},
		"TransferDirections": {dir: "modules/events", first: "DirectionIn", api: whole("TransferData.direction")},
		"WebhookScopes": {dir: "modules/webhook", first: "ScopeAll", columns: []string{"webhook_endpoints.scope"},
			api: whole("Endpoint.scope")},
		"MatchStatuses": {dir: "modules/match", first: "StatusPending", columns: []string{"matches.status"},
			api: append(whole("MatchView.status", "MyMatch.status", "list-matches?status"), apiEnum{at: "ReportResult.status",
				only: []string{match.StatusReported, match.StatusConfirmed, match.StatusDisputed}},
				apiEnum{at: "MatchResultData.status", only: []string{match.StatusConfirmed, match.StatusResolved, match.StatusForfeit,
					match.StatusDoubleForfeit, match.StatusDisqualified}})},
		"Sides": {dir: "modules/match", first: "SideA", columns: []string{"match_reports.side"},
			api: append(whole("DisqualifyMatchSideRequest.side", "ReportView.side", "MyMatch.side", "MatchReportData.side"),
				apiEnum{at: "ForfeitMatchRequest.side", add: []string{match.BothSides}})},
		"SeedingMethods": {dir: "modules/match", first: "SeedingRegistration", columns: []string{"match_brackets.seeding"},
			api: whole("BracketBodySeeding.method", "Bracket.seeding")},
		// Computed from a match's status for the caller's list, never stored.
		"MyMatchWhen": {dir: "modules/match", first: "WhenLive", api: whole("MyMatch.when")},
		// The engine's stages: matches.stage holds them (the engine writes it; no CHECK).
		"Stages": {dir: "modules/match/bracket", first: "Winners", api: whole("RoundTime.stage", "MatchView.stage", "MyMatch.stage", "MatchReadyData.stage")},
		"CompetitorKinds": {dir: "modules/match", first: "CompetitorUser",
			columns: []string{"match_entrants.competitor_kind", "leaderboard_entries.competitor_kind"},
			api:     whole("CompetitorRef.kind")},
		"EventTypes": {dir: "modules/events", first: "TournamentPublished",
			api: append(whole("LoggedEvent.type", "list-events?type", "stream-events?type"),
				apiEnum{at: "Delivery.event_type", add: []string{"webhook.ping"}},
				apiEnum{at: "Endpoint.event_types", add: []string{"*"}}, apiEnum{at: "EndpointInput.event_types", add: []string{"*"}},
				apiEnum{at: "EndpointPatch.event_types", add: []string{"*"}})},
		"EventVisibilities": {dir: "modules/events", first: "Public", columns: []string{"events.visibility"},
			api: whole("LoggedEvent.visibility")},
		// The rules of play: the tournament's settings (tournament.Play) and the engine's
		// options they are passed to by type, one set of values for both.
		"Pairings": {dir: "modules/tournament", first: "PairingDutch",
			columns: []string{"tournaments.pairing", "match_brackets.pairing"}, api: whole("Play.pairing")},
		"EnginePairings": {dir: "modules/match/bracket", first: "Dutch",
			columns: []string{"tournaments.pairing", "match_brackets.pairing"}, api: whole("Play.pairing")},
		"GrandFinals": {dir: "modules/tournament", first: "GrandFinalDouble",
			columns: []string{"tournaments.grand_final", "match_brackets.grand_final"}, api: whole("Play.grand_final")},
		"EngineGrandFinals": {dir: "modules/match/bracket", first: "GrandFinalDouble",
			columns: []string{"tournaments.grand_final", "match_brackets.grand_final"}, api: whole("Play.grand_final")},
		"Schedules": {dir: "modules/tournament", first: "ScheduleBerger",
			columns: []string{"tournaments.schedule", "match_brackets.schedule"}, api: whole("Play.schedule")},
		"EngineSchedules": {dir: "modules/match/bracket", first: "Berger",
			columns: []string{"tournaments.schedule", "match_brackets.schedule"}, api: whole("Play.schedule")},
		"Tiebreaks": {dir: "modules/tournament", first: "TiebreakPoints",
			columns: []string{"tournaments.tiebreaks", "match_brackets.tiebreaks"}, api: whole("Play.tiebreaks")},
		"EngineTiebreaks": {dir: "modules/match/bracket", first: "TiebreakPoints",
			columns: []string{"tournaments.tiebreaks", "match_brackets.tiebreaks"}, api: whole("Play.tiebreaks")},
		"PayoutReviews": {dir: "modules/tournament", first: "PayoutAuto",
			columns: []string{"tournaments.payout_review", "payouts.review"},
			api:     whole("TournamentInput.payout_review", "TournamentPatch.payout_review", "Tournament.payout_review", "Statement.review")},
		"PayoutStatuses": {dir: "modules/payout", first: "StatusPending", columns: []string{"payouts.status"},
			api: whole("Statement.status", "Prize.status")},
		"Boards": {dir: "modules/leaderboard", first: "BoardRating",
			api: whole("Board.board", "get-leaderboard?board", "get-leaderboard-around?board")},
	}
}

// notStates are the API's enums that are no stored state or kind of a module, and why.
var notStates = map[string]string{
	"HealthResult.status":   "the readiness probe's answer, made by cmd",
	"ModelOpponent.result":  "brackets-model's vocabulary, written by one function of the match module",
	"Violation.kind":        "computed by the wallet's audit query, never stored",
	"export-bracket?format": "the export's one data model",
}

// TestEnumsAgree checks that, for every set, the Go constants, the database CHECK and the
// OpenAPI enums name the same values: a state added to one and not the others fails here.
func TestEnumsAgree(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	doc := apiEnums(t)
	for name, set := range enumSets() {
		t.Run(name, func(t *testing.T) {
			want := constBlockValues(set.dir, set.first)
			if len(want) == 0 {
				t.Fatalf("no const block declares %s in %s", set.first, set.dir)
			}
			for _, col := range set.columns {
				requireSameSet(t, "CHECK of "+col, checkValues(t, pool, col), want)
			}
			for _, a := range set.api {
				got, ok := doc[a.at]
				if !ok {
					t.Errorf("the OpenAPI document has no enum at %s", a.at)
					continue
				}
				for _, v := range append(slices.Clone(a.only), a.drop...) {
					if !slices.Contains(want, v) {
						t.Errorf("%s: %q is not one of the set %v", a.at, v, want)
					}
				}
				published := slices.DeleteFunc(slices.Clone(want), func(v string) bool { return slices.Contains(a.drop, v) })
				if a.only != nil {
					published = a.only
				}
				requireSameSet(t, "OpenAPI "+a.at, got, append(published, a.add...))
			}
		})
	}
}

// TestEveryAPIEnumIsChecked keeps enumSets current: an enum the API publishes is either a
// set's (and checked by TestEnumsAgree) or named in notStates with the reason.
func TestEveryAPIEnumIsChecked(t *testing.T) {
	t.Parallel()
	checked := map[string]bool{}
	for _, set := range enumSets() {
		for _, a := range set.api {
			checked[a.at] = true
		}
	}
	for at := range apiEnums(t) {
		if _, skip := notStates[at]; !skip && !checked[at] {
			t.Errorf("the OpenAPI enum at %s belongs to no set in enumSets", at)
		}
	}
}

func requireSameSet(t *testing.T, where string, got, want []string) {
	t.Helper()
	g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(g, w) {
		t.Errorf("%s lists %v; the Go constants say %v", where, g, w)
	}
}

// constBlockValues returns the string values of the const block that declares first in
// the package in dir (relative to the repository), in declaration order.
func constBlockValues(dir, first string) []string {
	files, _ := filepath.Glob(filepath.Join("..", dir, "*.go"))
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			panic(err)
		}
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.CONST && declares(gd, first) {
				return stringValues(gd, file)
			}
		}
	}
	return nil
}

func declares(gd *ast.GenDecl, name string) bool {
	for _, spec := range gd.Specs {
		if slices.ContainsFunc(spec.(*ast.ValueSpec).Names, func(n *ast.Ident) bool { return n.Name == name }) {
			return true
		}
	}
	return false
}

func stringValues(gd *ast.GenDecl, file string) []string {
	var out []string
	for _, spec := range gd.Specs {
		for _, v := range spec.(*ast.ValueSpec).Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				panic(fmt.Sprintf("%s: a set's constants are string literals", file))
			}
			s, _ := strconv.Unquote(lit.Value)
			out = append(out, s)
		}
	}
	return out
}

var quoted = regexp.MustCompile(`'((?:[^']|'')*)'`)

// checkValues reads the values the one-column CHECK of table.column allows, from the
// constraint Postgres stores: its quoted literals, arrays ('{a,b}') spread out.
func checkValues(t *testing.T, pool *pgxpool.Pool, column string) []string {
	t.Helper()
	table, col, _ := strings.Cut(column, ".")
	var defs []string
	rows, err := pool.Query(context.Background(), `
		SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'c' AND c.conrelid = $1::regclass AND cardinality(c.conkey) = 1 AND a.attname = $2`, table, col)
	if err == nil {
		for rows.Next() {
			var d string
			if err = rows.Scan(&d); err != nil {
				break
			}
			defs = append(defs, d)
		}
		rows.Close()
		err = rows.Err()
	}
	if err != nil || len(defs) != 1 {
		t.Fatalf("%s: want one CHECK on the column alone, got %v (%v)", column, defs, err)
	}
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(defs[0], -1) {
		v := strings.ReplaceAll(m[1], "''", "'")
		if inner, ok := strings.CutPrefix(v, "{"); ok {
			out = append(out, strings.Split(strings.TrimSuffix(inner, "}"), ",")...)
		} else {
			out = append(out, v)
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(out)))
}

// apiEnums reads every enum of the committed OpenAPI document by where it stands.
func apiEnums(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../openapi/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]enumSchema `yaml:"properties"`
			} `yaml:"schemas"`
		} `yaml:"components"`
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			Parameters  []struct {
				Name   string     `yaml:"name"`
				Schema enumSchema `yaml:"schema"`
			} `yaml:"parameters"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name, s := range doc.Components.Schemas {
		for prop, p := range s.Properties {
			if e := p.values(); e != nil {
				out[name+"."+prop] = e
			}
		}
	}
	for _, ops := range doc.Paths {
		for _, op := range ops {
			for _, p := range op.Parameters {
				if e := p.Schema.values(); e != nil {
					out[op.OperationID+"?"+p.Name] = e
				}
			}
		}
	}
	return out
}

// enumSchema is the part of a schema that can carry an enum: its own, or its items'.
type enumSchema struct {
	Enum  []string `yaml:"enum"`
	Items *struct {
		Enum []string `yaml:"enum"`
	} `yaml:"items"`
}

func (s enumSchema) values() []string {
	if s.Items != nil && s.Items.Enum != nil {
		return s.Items.Enum
	}
	return s.Enum
}

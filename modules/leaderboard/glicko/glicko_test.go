package glicko

import (
	"math"
	"testing"
	"time"
)

// TestGlickmanExample is the worked example of Glickman's "Example of the Glicko-2 system":
// a 1500/200/0.06 player beats a 1400/30 player and loses to 1550/100 and 1700/300 ones,
// with tau = 0.5. The paper prints mu' = -0.2069 and phi' = 0.8722 on the Glicko-2 scale,
// and r' = 1464.06, RD' = 151.52, sigma' = 0.05999. Those last three come from intermediate
// values it rounded (exactly: 1464.0507, 151.5165, 0.0599960), so they are checked to one
// unit of their last printed digit; mu' and phi' to half a unit.
func TestGlickmanExample(t *testing.T) {
	t.Parallel()
	got := Update(Rating{Rating: 1500, Deviation: 200, Volatility: 0.06}, []Result{
		{Opponent: Rating{Rating: 1400, Deviation: 30, Volatility: 0.06}, Score: 1},
		{Opponent: Rating{Rating: 1550, Deviation: 100, Volatility: 0.06}, Score: 0},
		{Opponent: Rating{Rating: 1700, Deviation: 300, Volatility: 0.06}, Score: 0},
	}, 0.5)
	for _, c := range []struct {
		name             string
		got, want, delta float64
	}{
		{"mu'", (got.Rating - 1500) / scale, -0.2069, 0.00005},
		{"phi'", got.Deviation / scale, 0.8722, 0.00005},
		{"r'", got.Rating, 1464.06, 0.01},
		{"RD'", got.Deviation, 151.52, 0.01},
		{"sigma'", got.Volatility, 0.05999, 0.00001},
	} {
		if math.Abs(c.got-c.want) > c.delta {
			t.Errorf("%s = %.6f, the paper prints %v", c.name, c.got, c.want)
		}
	}
}

// TestEmptyPeriodWidensDeviation: a period without games leaves rating and volatility and
// widens the deviation to sqrt(phi² + sigma²) (step 6 alone), never past 350.
func TestEmptyPeriodWidensDeviation(t *testing.T) {
	t.Parallel()
	r := Rating{Rating: 1700, Deviation: 50, Volatility: 0.06}
	got := Update(r, nil, 0.5)
	want := math.Sqrt(math.Pow(50/scale, 2)+0.06*0.06) * scale
	if got.Rating != 1700 || got.Volatility != 0.06 || math.Abs(got.Deviation-want) > 1e-9 {
		t.Fatalf("got %+v, want deviation %.4f and the rest unchanged", got, want)
	}
	if got := Update(New(), nil, 0.5); got.Deviation != MaxDeviation {
		t.Fatalf("a new competitor's deviation grew past %v: %v", MaxDeviation, got.Deviation)
	}
}

// TestIdleGrowth: a month idle (with 30-day periods) is one empty period; a year is twelve,
// the same as twelve empty updates; the deviation grows monotonically and stops at 350.
func TestIdleGrowth(t *testing.T) {
	t.Parallel()
	r := Rating{Rating: 1800, Deviation: 60, Volatility: 0.06}
	last := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	month := 30 * 24 * time.Hour
	if got := Idle(r, last, last.Add(29*24*time.Hour), month); got != r {
		t.Fatalf("less than one period changed %+v to %+v", r, got)
	}
	if got, want := Idle(r, last, last.Add(month), month), Update(r, nil, 0.5); math.Abs(got.Deviation-want.Deviation) > 1e-9 {
		t.Fatalf("one idle period: %v, one empty update: %v", got.Deviation, want.Deviation)
	}
	stepwise := r
	prev := r.Deviation
	for i := 1; i <= 12; i++ {
		stepwise = Update(stepwise, nil, 0.5)
		got := Idle(r, last, last.Add(time.Duration(i)*month), month)
		if got.Deviation <= prev || got.Rating != r.Rating {
			t.Fatalf("after %d periods: %+v (deviation was %v)", i, got, prev)
		}
		prev = got.Deviation
	}
	if got := Idle(r, last, last.Add(12*month), month); math.Abs(got.Deviation-stepwise.Deviation) > 1e-9 {
		t.Fatalf("a year idle: %v, twelve empty updates: %v", got.Deviation, stepwise.Deviation)
	}
	if got := Idle(r, last, last.Add(100*365*24*time.Hour), month); got.Deviation != MaxDeviation {
		t.Fatalf("a century idle: deviation %v, want the cap %v", got.Deviation, MaxDeviation)
	}
}

// TestUpdateDirection: beating a stronger opponent raises a rating and narrows the
// deviation; losing to a weaker one lowers it.
func TestUpdateDirection(t *testing.T) {
	t.Parallel()
	strong, weak := Rating{Rating: 1800, Deviation: 80, Volatility: 0.06}, Rating{Rating: 1300, Deviation: 80, Volatility: 0.06}
	up := Update(New(), []Result{{Opponent: strong, Score: 1}}, 0.5)
	down := Update(New(), []Result{{Opponent: weak, Score: 0}}, 0.5)
	if up.Rating <= InitialRating || up.Deviation >= InitialDeviation || down.Rating >= InitialRating {
		t.Fatalf("up %+v, down %+v", up, down)
	}
}

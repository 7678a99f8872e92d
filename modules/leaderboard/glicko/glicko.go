// Package glicko implements the Glicko-2 rating system as Glickman's "Example of the
// Glicko-2 system" describes it: a rating, a deviation (how uncertain the rating is) and a
// volatility (how erratic the player's form is), updated once per rating period from all of
// that period's results. Pure Go, no database.
package glicko

import (
	"math"
	"time"
)

// scale converts between Glicko's scale (1500 ± 350) and Glicko-2's (0 ± 2.01).
const scale = 173.7178

// Defaults for a new competitor, and the deviation nobody exceeds.
const (
	InitialRating     = 1500
	InitialDeviation  = 350
	InitialVolatility = 0.06
	MaxDeviation      = InitialDeviation
)

// Rating is a competitor's state on Glicko's scale.
type Rating struct {
	Rating     float64
	Deviation  float64
	Volatility float64
}

// New is an unrated competitor.
func New() Rating {
	return Rating{Rating: InitialRating, Deviation: InitialDeviation, Volatility: InitialVolatility}
}

// Result is one game of a period against an opponent as the opponent stood before it.
// Score is 1 for a win, 0.5 for a draw, 0 for a loss.
type Result struct {
	Opponent Rating
	Score    float64
}

// Update returns the rating after a period with results, for system constant tau (which
// bounds how fast volatility may change: 0.3 to 1.2 in Glickman's advice). A period
// without results only widens the deviation.
func Update(r Rating, results []Result, tau float64) Rating {
	mu, phi, sigma := (r.Rating-InitialRating)/scale, r.Deviation/scale, r.Volatility
	if len(results) == 0 {
		return Rating{Rating: r.Rating, Deviation: min(math.Sqrt(phi*phi+sigma*sigma)*scale, MaxDeviation), Volatility: sigma}
	}
	// Step 3 and 4: the estimated variance v of the rating from game outcomes alone, and the
	// estimated improvement delta.
	var vInv, sum float64
	for _, res := range results {
		muJ, phiJ := (res.Opponent.Rating-InitialRating)/scale, res.Opponent.Deviation/scale
		g := g(phiJ)
		e := 1 / (1 + math.Exp(-g*(mu-muJ)))
		vInv += g * g * e * (1 - e)
		sum += g * (res.Score - e)
	}
	v := 1 / vInv
	delta := v * sum
	// Step 5: the new volatility, the root of f by the Illinois algorithm.
	sigma = volatility(phi, sigma, v, delta, tau)
	// Steps 6 to 8.
	phiStar := math.Sqrt(phi*phi + sigma*sigma)
	phi = 1 / math.Sqrt(1/(phiStar*phiStar)+1/v)
	mu += phi * phi * sum
	return Rating{Rating: mu*scale + InitialRating, Deviation: min(phi*scale, MaxDeviation), Volatility: sigma}
}

func g(phi float64) float64 { return 1 / math.Sqrt(1+3*phi*phi/(math.Pi*math.Pi)) }

// epsilon is the convergence tolerance of step 5, as in the paper.
const epsilon = 0.000001

func volatility(phi, sigma, v, delta, tau float64) float64 {
	a := math.Log(sigma * sigma)
	f := func(x float64) float64 {
		ex := math.Exp(x)
		d := phi*phi + v + ex
		return ex*(delta*delta-phi*phi-v-ex)/(2*d*d) - (x-a)/(tau*tau)
	}
	A, B := a, 0.0
	if delta*delta > phi*phi+v {
		B = math.Log(delta*delta - phi*phi - v)
	} else {
		k := 1.0
		for f(a-k*tau) < 0 {
			k++
		}
		B = a - k*tau
	}
	fA, fB := f(A), f(B)
	for math.Abs(B-A) > epsilon {
		C := A + (A-B)*fA/(fB-fA)
		fC := f(C)
		if fC*fB <= 0 {
			A, fA = B, fB
		} else {
			fA /= 2
		}
		B, fB = C, fC
	}
	return math.Exp(A / 2)
}

// Idle returns the rating as it stands at now for a competitor last rated at last: the
// deviation grows as over one empty rating period per whole inactivity period elapsed, so
// a rating unplayed for long counts for less — in seeding, and in the next update.
func Idle(r Rating, last, now time.Time, period time.Duration) Rating {
	if period <= 0 || !now.After(last) {
		return r
	}
	n := float64(now.Sub(last) / period)
	if n == 0 {
		return r
	}
	phi, sigma := r.Deviation/scale, r.Volatility
	r.Deviation = min(math.Sqrt(phi*phi+n*sigma*sigma)*scale, MaxDeviation)
	return r
}

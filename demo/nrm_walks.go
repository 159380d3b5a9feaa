package demo

import "github.com/harbour-nrm/harbour/referral"

// How the demo's generated NRM history is spread (nrm_history.go): per jurisdiction, how
// many referrals, the shares of each counted value, and the paths its records take through the
// jurisdiction's rules, with plausible delays. The UK's shares follow its published 2024 NRM
// statistics roughly (many children, mostly men, criminal and labour exploitation, Albanian,
// Vietnamese and British nationals); the others are plausible, not published figures.

// profile is one jurisdiction's generated history.
type profile struct {
	code                                          string
	n, dtn                                        int // referrals; Duty to Notify reports
	exploitation, age, gender, location, referrer choice
	nationalities                                 []string // the most often referred first
	walk                                          func(w *walker)
}

func dist(values []string, weights ...float64) choice { return choice{values, weights} }

var profiles = []profile{
	{code: "GB-EAW", n: 480, dtn: 90,
		exploitation: dist([]string{"labour", "criminal", "sexual", "domestic_servitude", "other", "not_specified"}, 30, 30, 18, 5, 5, 12),
		age:          dist([]string{"adult", "child", "unknown"}, 58, 38, 4),
		gender:       dist([]string{"male", "female", "other", "unknown"}, 76, 22, 0.5, 1.5),
		location:     dist([]string{"domestic", "overseas", "both", "unknown"}, 45, 30, 15, 10),
		referrer:     dist([]string{"police", "other", "ngo", ""}, 40, 45, 13, 2),
		nationalities: []string{"GB", "AL", "VN", "ER", "SD", "IR", "AF", "RO", "EG", "IQ", "NG", "IN", "CN", "PL", "SY",
			"ET", "PK"},
		walk: walkGB},
	{code: "BE", n: 240,
		exploitation: dist([]string{"labour", "sexual", "criminal", "domestic_servitude", "other", "not_specified"}, 40, 35, 10, 5, 3, 7),
		age:          dist([]string{"adult", "child", "unknown"}, 88, 10, 2),
		gender:       dist([]string{"male", "female", "other", "unknown"}, 58, 41, 0.5, 0.5),
		location:     dist([]string{"domestic", "overseas", "both", "unknown"}, 60, 15, 20, 5),
		referrer: dist([]string{string(referral.KindPolice), string(referral.KindSpecialisedCentre), string(referral.KindNGO), string(referral.KindLabourInspectorate)},
			55, 25, 12, 8),
		nationalities: []string{"MA", "NG", "RO", "BR", "CN", "IN", "AL", "TH", "UA", "BG", "EG", "PK"},
		walk:          walkBE},
	{code: "NL", n: 280,
		exploitation: dist([]string{"sexual", "labour", "criminal", "other", "not_specified"}, 45, 30, 18, 4, 3),
		age:          dist([]string{"adult", "child", "unknown"}, 85, 13, 2),
		gender:       dist([]string{"female", "male", "unknown"}, 55, 44, 1),
		location:     dist([]string{"domestic", "overseas", "both", "unknown"}, 55, 20, 20, 5),
		referrer: dist([]string{string(referral.KindPolice), string(referral.KindLabourInspectorate), string(referral.KindNGO), string(referral.KindOther)},
			70, 15, 10, 5),
		nationalities: []string{"NL", "NG", "UG", "RO", "PL", "BG", "HU", "CN", "VN", "MA", "BR", "ER"},
		walk:          walkNL},
	{code: "DE", n: 220,
		exploitation:  dist([]string{"sexual", "labour", "criminal", "domestic_servitude", "not_specified"}, 55, 30, 8, 3, 4),
		age:           dist([]string{"adult", "child", "unknown"}, 90, 8, 2),
		gender:        dist([]string{"female", "male", "unknown"}, 68, 31, 1),
		location:      dist([]string{"domestic", "overseas", "both", "unknown"}, 50, 10, 35, 5),
		referrer:      dist([]string{string(referral.KindPolice), string(referral.KindSpecialisedCentre), string(referral.KindNGO)}, 60, 30, 10),
		nationalities: []string{"DE", "RO", "BG", "HU", "NG", "TH", "CN", "VN", "UA", "PL", "TR", "SY"},
		walk:          walkDE},
	{code: "ES", n: 260,
		exploitation:  dist([]string{"sexual", "labour", "criminal", "forced_marriage", "not_specified"}, 62, 28, 5, 2, 3),
		age:           dist([]string{"adult", "child", "unknown"}, 92, 6, 2),
		gender:        dist([]string{"female", "male", "unknown"}, 82, 17, 1),
		location:      dist([]string{"domestic", "overseas", "both", "unknown"}, 30, 10, 55, 5),
		referrer:      dist([]string{string(referral.KindPolice), string(referral.KindNGO)}, 90, 10),
		nationalities: []string{"CO", "VE", "PY", "RO", "NG", "CN", "BR", "MA", "DO", "HN", "PE"},
		walk:          walkES},
}

// walkGB: a reasonable-grounds decision within days (some wait months); after a positive one
// at least 30 days of recovery, then the conclusive-grounds decision, then move-on support and
// exit; a negative one may be reconsidered once within 30 days. A positive decision is taken
// only where the 30 days fit before the history ends (the conclusive decision must follow).
func walkGB(w *walker) {
	w.take("submit", w.day)
	rgDays := 30
	if w.chance(20) {
		rgDays = 150
	}
	if w.chance(58) && w.room(31) {
		w.step("rg_positive", 1, rgDays, 30)
		gbRecovery(w)
		return
	}
	w.step("rg_negative", 1, rgDays, 0)
	if w.chance(10) {
		w.step("reconsider_rg", 1, 30, 0)
		if w.chance(60) && w.room(35) {
			w.step("rg_positive", 5, 60, 30)
			gbRecovery(w)
			return
		}
		w.step("rg_negative", 5, 60, 0)
	}
	w.step("exit", 1, 90, 0)
}

// gbRecovery ends a recovery period: disqualified now and then, or a conclusive-grounds
// decision (reconsidered once in ten when negative), and exit.
func gbRecovery(w *walker) {
	if w.chance(3) {
		w.step("disqualify", 10, 200, 0)
		return
	}
	cgDays := 150
	if w.chance(30) {
		cgDays = 450
	}
	outcome := func(positive int) string {
		if w.chance(positive) {
			return "cg_positive"
		}
		return "cg_negative"
	}
	cg := outcome(85)
	w.step(cg, 30, 30+cgDays, 0)
	if cg == "cg_negative" && w.chance(10) {
		w.step("reconsider_cg", 1, 30, 0)
		w.step(outcome(45), 5, 60, 0)
	}
	w.step("exit", 1, 120, 0)
}

// walkBE: a reflection period (a child has the attestation at once), the attestation (renewed
// once at most), the A card (renewed while proceedings run), then unlimited stay, the end of
// protection, or exit.
func walkBE(w *walker) {
	if w.party.Minor {
		w.take("request_attestation_minor", w.day)
	} else {
		w.take("request_reflection", w.day)
		switch x := w.rng.IntN(100); {
		case x < 10:
			w.step("exit", 1, 45, 0)
			return
		case x < 18:
			w.step("end_protection", 5, 45, 0)
			return
		}
		w.step("issue_attestation", 3, 45, 0)
	}
	if w.chance(30) && w.room(120) {
		w.step("renew_attestation", 60, 90, 0)
	}
	if w.chance(20) {
		w.step(map[bool]string{true: "end_protection", false: "exit"}[w.chance(50)], 10, 90, 0)
		return
	}
	w.step("issue_a_card", 30, 90, 0)
	for w.chance(40) && w.room(200) {
		w.step("renew_a_card", 150, 180, 0)
	}
	switch x := w.rng.IntN(100); {
	case x < 35:
		w.step("grant_unlimited_stay", 60, 400, 0)
	case x < 60:
		w.step("end_protection", 30, 300, 0)
	default:
		w.step("exit", 30, 300, 0)
	}
}

// walkNL: reflection (30 days for Dublin cases), then the temporary permit or its refusal,
// then continued residence or its refusal; some leave on the way.
func walkNL(w *walker) {
	w.take(map[bool]string{true: "offer_reflection_dublin", false: "offer_reflection"}[w.chance(10)], w.day)
	switch x := w.rng.IntN(100); {
	case x < 10:
		w.step("exit", 5, 60, 0)
		return
	case x < 35:
		w.step("refuse_temporary_permit", 10, 90, 0)
		return
	}
	w.step("grant_temporary_permit", 10, 90, 0)
	switch x := w.rng.IntN(100); {
	case x < 30:
		w.step("exit", 30, 300, 0)
	case x < 50:
		w.step("refuse_continued_residence", 90, 400, 0)
	default:
		w.step("grant_continued_residence", 90, 400, 0)
	}
}

// walkDE: reflection, then for some a witness permit (renewed after a year for a few), and
// exit.
func walkDE(w *walker) {
	w.take("offer_reflection", w.day)
	if w.chance(55) {
		w.step("exit", 30, 150, 0)
		return
	}
	w.step("grant_witness_permit", 60, 150, 0)
	if w.chance(40) && w.room(330) {
		w.step("renew_witness_permit", 300, 365, 0)
	}
	w.step("exit", 30, 300, 0)
}

// walkES: the proposal is decided within days; recovery and reflection last at least 90 days
// before a residence permit (an assisted return may come sooner). Where the 90 days do not fit
// before the history ends, the period ends in an assisted return.
func walkES(w *walker) {
	w.take("propose", w.day)
	if w.chance(18) {
		w.step("refuse_recovery_reflection", 0, 5, 0)
		return
	}
	if w.chance(15) || !w.room(95) {
		w.step("grant_recovery_reflection", 0, 5, 0)
		w.step("assisted_return", 10, 200, 0)
		return
	}
	w.step("grant_recovery_reflection", 0, 5, 90)
	w.step("grant_residence", 90, 300, 0)
}

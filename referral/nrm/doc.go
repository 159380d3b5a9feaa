// Package nrm is the engine of National Referral Mechanisms: one interpreter for every
// jurisdiction, each described as data in jurisdictions/*.toml (the UK's England & Wales, the
// default; Belgium, the Netherlands, Germany, Spain).
//
// A jurisdiction names its states, the transitions between them, who may take each (a first
// responder, the referrer, a support provider, a decision maker), what a transition requires
// of the person (consent, being a child), the timers it starts (calendar days, working days or
// months, with a minimum, a target and a maximum) and its public holidays. A record's Status
// is replayed from its events; Check says whether a party may take a step on a day, and if not,
// why (a Refusal with a message ID and its data, days as Day). Days are calendar days in the
// jurisdiction's time zone, so periods are right across month ends and daylight-saving changes.
//
// The package knows nothing of the database, of users or of languages: the domain (package
// referral) works out who a party is, keeps the events, and translates refusals at the edge.
// Public holidays are worked out by github.com/rickar/cal/v2 for whatever year a deadline falls
// in, so working days never run out: a file names its calendar (national, with a region's
// holidays where it sets one) and lists only what the library gets wrong, a one-off bank
// holiday or a day it lists wrongly.
package nrm

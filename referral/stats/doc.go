// Package stats counts and publishes NRM statistics without giving anyone away: the quarters
// they are counted by, the counting itself (Count, for a Scope of jurisdictions and a Period),
// the tables the competent authority and the public see (Table, Row, Cell, Times), and the
// disclosure control that turns true counts into them (Suppress). A count of 1 to 4 is shown as
// "<5"; further counts are withheld ("[c]") until no suppressed number can be worked out from
// the rows, columns and totals — checked by an exact search, and in the tests by an attacker
// written apart from it (statstest).
//
// Count reads only the counted columns of nrm_records, nrm_events and dtn_reports, never a case
// or a name, on the transaction it is given: the domain (referral.Domain.Stats) decides who may
// read which jurisdiction, and audits the read.
package stats

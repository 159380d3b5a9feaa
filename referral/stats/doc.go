// Package stats publishes counts without giving anyone away: the quarters statistics are
// counted by, the tables the competent authority and the public see (Table, Row, Cell, Times),
// and the disclosure control that turns true counts into them (Suppress). A count of 1 to 4 is
// shown as "<5"; further counts are withheld ("[c]") until no suppressed number can be worked
// out from the rows, columns and totals — checked by an exact search, and in the tests by an
// attacker written apart from it (statstest).
//
// It knows nothing of the database or of Harbour's records: the domain counts, this package
// decides what may be shown. It imports only the working-day calendar of referral/nrm.
package stats

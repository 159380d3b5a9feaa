// Package demo makes data for people to try Harbour with and for load tests: the demo set (a
// police unit after an action day in Brussels, shelters, NGOs and, for each jurisdiction, who
// starts its NRM and who decides, with one sign-in per role: Load), a deterministic NRM
// history behind the demo's statistics, and the scale generator that fills the directory with
// tens of thousands of services across the EU and the UK (Seed, `harbour seed`).
//
// It is an adapter beside the domain, not part of it: it writes only through the domain's
// public API (CreateOrganisation, CreateService, CreateUser, and for bulk loads SeedDirectory
// and LoadDemoNRMHistory, which clean, check and audit what they are given), so that demo data
// obeys the same rules as real data. The gazetteer the generator draws on — real cities,
// countries' languages and address shapes, name patterns — is data in places/, embedded.
package demo

// Package referral is Harbour's domain: organisations, users and roles, sign-in, authorization
// and the audit trail; the service directory, matching, bed holds and placements;
// operations, cases and consent; referrals with their lifecycle, response windows and
// escalation; alerts for each person (Notification, announced on commit on LiveChannel for referral/live to wake open pages) and
// the e-mails they choose (DeliverMail); and NRM records (SubmitNRM, TakeNRMStep, NRMQueue,
// NRMDeadlines), whose rules per jurisdiction are data read by the engine in referral/nrm;
// and statistics (Stats), counted here and made safe to publish by referral/stats.
//
// Validation, authorization ("may this actor do this to this record?") and transactions live
// here, so that the JSON API and the HTML pages can never disagree. The package never imports
// echo or templates and never returns text in one language: errors carry a Code, a message ID
// and template data, translated at the edge.
//
// Every exported method that changes state, and every read of a person's details, owns its
// transaction and appends an audit event inside it.
package referral

package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"gorm.io/gorm"
)

// ConsentScope is what a consent question asks.
type ConsentScope string

// The questions on her screen.
const (
	ConsentSupport ConsentScope = "support" // to be referred for support
	ConsentShare   ConsentScope = "share"   // to share her details with the organisations named
	ConsentNRM     ConsentScope = "nrm"     // an adult's referral to the National Referral Mechanism
)

// ConsentScopes lists the scopes in the order her screen asks them.
var ConsentScopes = []ConsentScope{ConsentSupport, ConsentShare, ConsentNRM}

// ConsentTextVersion names the wording of the consent questions (the person.consent_* messages)
// in every language. Change it whenever that wording changes, so each record says what she was
// asked.
const ConsentTextVersion = "2026-11-22"

// Consent is one answer she gave, as given: never changed. Withdrawing is a later record of the
// same scope answering no; the latest record of a scope is what holds.
type Consent struct {
	ID             uuid.UUID    `json:"id" gorm:"primaryKey"`
	CaseID         uuid.UUID    `json:"case_id"`
	Scope          ConsentScope `json:"scope"`
	Given          bool         `json:"given"`
	Organisations  []uuid.UUID  `json:"organisations" gorm:"serializer:json"`
	Language       string       `json:"language"`
	TextVersion    string       `json:"text_version"`
	OrganisationID uuid.UUID    `json:"organisation_id"`
	RecordedBy     *uuid.UUID   `json:"recorded_by"`
	RecordedAt     time.Time    `json:"recorded_at"`
}

// ConsentInput records one answer. ID is chosen by the device, so a retried upload records it once.
type ConsentInput struct {
	ID            uuid.UUID
	Scope         ConsentScope
	Given         *bool
	Organisations []uuid.UUID // share: the organisations named to her
	Language      string      // the language the question was shown in
	TextVersion   string      // ConsentTextVersion when empty
}

func (in *ConsentInput) validate(tx *gorm.DB, c Case, today time.Time) error {
	var p Problems
	if !slices.Contains(ConsentScopes, in.Scope) {
		p.Add("scope", "error.service.value", map[string]any{"Value": string(in.Scope)})
	}
	if in.Given == nil {
		p.Add("given", "error.field.required", nil)
	}
	if tag, err := language.Parse(cleanCode(in.Language)); err != nil || in.Language == "" {
		p.Add("language", "error.service.language", map[string]any{"Code": in.Language})
	} else {
		in.Language = tag.String()
	}
	if in.TextVersion == "" {
		in.TextVersion = ConsentTextVersion
	}
	in.TextVersion = cleanText(&p, "text_version", in.TextVersion, true, 40)
	if in.Organisations == nil {
		in.Organisations = []uuid.UUID{}
	}
	switch {
	case in.Scope != ConsentShare && len(in.Organisations) > 0:
		p.Add("organisations", "error.consent.organisations_share_only", nil)
	case len(in.Organisations) > 20:
		p.Add("organisations", "error.field.range", map[string]any{"Min": 0, "Max": 20})
	case len(in.Organisations) > 0:
		var n int64
		if err := tx.Model(&Organisation{}).Where("id IN ?", in.Organisations).Count(&n).Error; err != nil {
			return err
		}
		distinct := map[uuid.UUID]bool{}
		for _, id := range in.Organisations {
			distinct[id] = true
		}
		if int(n) != len(distinct) {
			p.Add("organisations", "error.consent.organisation", nil)
		}
	}
	// A child is referred as a child: she is not asked to consent to it.
	if in.Scope == ConsentNRM && c.Minor(today) {
		p.Add("scope", "error.consent.nrm_child", nil)
	}
	return p.Err()
}

// RecordConsent records one of her answers to the consent questions, by an officer or
// caseworker of the organisation that recorded her. Repeating it with the same ID returns the
// record already made.
func (d *Domain) RecordConsent(ctx context.Context, caseID uuid.UUID, in ConsentInput) (Consent, bool, error) {
	a := ActorFrom(ctx)
	var out Consent
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var c Case
		if err := tx.First(&c, "id = ?", caseID).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeChange(a, ActCaseRead, ActConsentRecord, Target{OrganisationID: c.OrganisationID}); err != nil {
			return err
		}
		switch done, err := made(tx, in.ID, a, &out); {
		case err != nil:
			return err
		case done && out.CaseID != caseID: // the ID of an answer about someone else
			return Errorf(CodeConflict, "error.record.id_taken", nil)
		case done:
			return nil
		}
		local, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		if err := in.validate(tx, c, local); err != nil {
			return err
		}
		out = Consent{ID: orNewID(in.ID), CaseID: caseID, Scope: in.Scope, Given: *in.Given, Organisations: in.Organisations,
			Language: in.Language, TextVersion: in.TextVersion, OrganisationID: a.OrganisationID, RecordedBy: userOf(a), RecordedAt: now}
		if done, err := insertOnce(tx, &out, out.ID, "consents_pkey", a); done || err != nil {
			return err
		}
		created = true
		given := "no"
		if out.Given {
			given = "yes"
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "consent.record", RecordType: "case", RecordID: caseID.String(),
			Detail: Detail{"consent_id": out.ID.String(), "scope": string(out.Scope), "given": given}})
	})
	return out, created, err
}

// Consents lists her answers, the latest first; reading them is audited as a read of her case.
func (d *Domain) Consents(ctx context.Context, caseID uuid.UUID) ([]Consent, error) {
	out := []Consent{}
	_, err := d.readCase(ctx, caseID, "consents", func(tx *gorm.DB, c Case) error { return findConsents(tx, c).Find(&out).Error })
	return out, err
}

// findConsents is the query for her answers, the latest first.
func findConsents(tx *gorm.DB, c Case) *gorm.DB {
	return tx.Where("case_id = ?", c.ID).Order("recorded_at DESC, id DESC")
}

// latestConsent is her latest answer to one question, and whether she was asked it.
func latestConsent(tx *gorm.DB, caseID uuid.UUID, scope ConsentScope) (Consent, bool, error) {
	var k Consent
	err := tx.Where("case_id = ? AND scope = ?", caseID, scope).Order("recorded_at DESC, id DESC").Limit(1).Find(&k).Error
	return k, k.ID != uuid.Nil, err
}

// ConsentState is what holds for each scope: the latest answer, or nothing when never asked.
func ConsentState(consents []Consent) map[ConsentScope]Consent {
	out := map[ConsentScope]Consent{}
	for _, k := range consents {
		if cur, ok := out[k.Scope]; !ok || k.RecordedAt.After(cur.RecordedAt) {
			out[k.Scope] = k
		}
	}
	return out
}

// Helplines are the numbers shown to her on her screen, by the country of the officer's
// organisation (../shared/reference/nrm.md). A country without one shows "ask the officer".
var Helplines = map[string]string{
	"GB": "08000 121 700", // Modern Slavery & Exploitation Helpline, 24/7, interpreters
	"DE": "116 016",       // 24/7, 18 languages
	"ES": "016",           // 24 h, 53 languages including Mandarin
	"NL": "033 448 11 86", // national coordination centre
}

package referral

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

// Action names something an actor may want to do; Authorize decides whether they may.
type Action string

// Actions on the foundation's records.
const (
	ActOrganisationCreate Action = "organisation.create"
	ActOrganisationUpdate Action = "organisation.update"
	ActOrganisationRead   Action = "organisation.read"
	ActOrganisationList   Action = "organisation.list"
	ActUserCreate         Action = "user.create"
	ActUserUpdate         Action = "user.update"
	ActUserRead           Action = "user.read"
	ActUserList           Action = "user.list"
	ActTokenCreate        Action = "token.create"
	ActTokenRead          Action = "token.read"
	ActTokenRevoke        Action = "token.revoke"
	ActAuditRead          Action = "audit.read"
	ActAuditVerify        Action = "audit.verify"
	ActServiceCreate      Action = "service.create"
	ActServiceUpdate      Action = "service.update"
	ActServiceRead        Action = "service.read"
	ActMatch              Action = "match"
	ActHoldCreate         Action = "hold.create"
	ActHoldRead           Action = "hold.read"
	ActHoldRelease        Action = "hold.release"
	ActHoldConfirm        Action = "hold.confirm"
	ActCheckIn            Action = "placement.check_in"
	ActCheckOut           Action = "placement.check_out"
	ActOccupancyRead      Action = "occupancy.read"
	ActOperationCreate    Action = "operation.create"
	ActOperationList      Action = "operation.list"
	ActOperationRead      Action = "operation.read"
	ActCaseCreate         Action = "case.create"
	ActCaseRead           Action = "case.read"
	ActCaseReadShared     Action = "case.read_shared"
	ActConsentRecord      Action = "consent.record"
	ActReferralSend       Action = "referral.send"
	ActReferralRead       Action = "referral.read"
	ActReferralList       Action = "referral.list"
	ActReferralAnswer     Action = "referral.answer"
	ActReferralFollowUp   Action = "referral.follow_up"
	ActStatsRead          Action = "stats.read"
	ActNRMSubmit          Action = "nrm.submit"
	ActNRMQueue           Action = "nrm.queue"
)

// Target describes the record an action touches: the organisation that owns it; for records
// about one user (the user, their tokens), that user; for records two organisations share (a
// bed hold: the shelter owns it, the officer's organisation holds it), the partner.
type Target struct {
	OrganisationID uuid.UUID
	UserID         uuid.UUID
	Partner        uuid.UUID
}

// rule answers for one action; the system actor is allowed everything before rules are asked.
type rule func(a Actor, t Target) bool

func isAdmin(a Actor, _ Target) bool { return a.Has(RoleAdmin) }

func isMemberOf(a Actor, t Target) bool {
	return t.OrganisationID != uuid.Nil && a.OrganisationID == t.OrganisationID
}

func isSelf(a Actor, t Target) bool { return t.UserID != uuid.Nil && a.UserID == t.UserID }

func isPartner(a Actor, t Target) bool { return t.Partner != uuid.Nil && a.OrganisationID == t.Partner }

func anyone(a Actor, _ Target) bool { return !a.IsZero() }

// hasRole allows actors holding any of the roles, whatever the record.
func hasRole(roles ...Role) rule {
	return func(a Actor, _ Target) bool { return slices.ContainsFunc(roles, a.Has) }
}

// allOf allows only when every rule allows.
func allOf(rules ...rule) rule {
	return func(a Actor, t Target) bool {
		for _, r := range rules {
			if !r(a, t) {
				return false
			}
		}
		return true
	}
}

// anyOf allows when any rule allows.
func anyOf(rules ...rule) rule {
	return func(a Actor, t Target) bool {
		for _, r := range rules {
			if r(a, t) {
				return true
			}
		}
		return false
	}
}

// referrers are the roles that look for help and hold beds for a person.
var referrers = hasRole(RoleOfficer, RoleCaseworker)

// isOrgAdminOf allows the org admins of the organisation owning the record.
var isOrgAdminOf = allOf(hasRole(RoleOrgAdmin), isMemberOf)

// shelterStaffOf allows the shelter staff of the organisation owning the record.
var shelterStaffOf = allOf(hasRole(RoleShelterStaff), isMemberOf)

// rules is the one table of who may do what. An org admin manages their own organisation's
// users; an admin manages organisations (and may bootstrap any organisation's users).
var rules = map[Action]rule{
	ActOrganisationCreate: isAdmin,
	ActOrganisationUpdate: isAdmin,
	ActOrganisationList:   isAdmin,
	ActOrganisationRead:   anyOf(isAdmin, isMemberOf),
	ActUserCreate:         anyOf(isAdmin, isOrgAdminOf),
	ActUserUpdate:         anyOf(isAdmin, isOrgAdminOf),
	ActUserList:           anyOf(isAdmin, isOrgAdminOf),
	ActUserRead:           anyOf(isAdmin, isOrgAdminOf, isSelf),
	ActTokenCreate:        isSelf,
	ActTokenRead:          anyOf(isAdmin, isOrgAdminOf, isSelf),
	ActTokenRevoke:        anyOf(isAdmin, isOrgAdminOf, isSelf),
	ActAuditRead:          anyOf(isAdmin, isOrgAdminOf),
	ActAuditVerify:        isAdmin,
	ActServiceCreate:      isOrgAdminOf,
	ActServiceUpdate:      isOrgAdminOf,
	ActServiceRead:        anyone,
	ActMatch:              referrers,
	ActHoldCreate:         referrers,
	ActHoldRead:           anyOf(isMemberOf, isPartner),
	ActHoldRelease:        anyOf(shelterStaffOf, allOf(referrers, isPartner)),
	ActHoldConfirm:        shelterStaffOf,
	ActCheckIn:            shelterStaffOf,
	ActCheckOut:           shelterStaffOf,
	ActOccupancyRead:      shelterStaffOf,
	// People found in a raid: recorded by officers and caseworkers, seen by their own
	// organisation's officers and caseworkers only (org admins manage users, not cases).
	ActOperationCreate: referrers,
	ActOperationList:   referrers,
	ActOperationRead:   allOf(referrers, isMemberOf),
	ActCaseCreate:      referrers,
	ActCaseRead:        allOf(referrers, isMemberOf),
	// An organisation that supports her (the partner: it accepted a referral for her, or she
	// stayed at its shelter) opens what she agreed to share with it.
	ActCaseReadShared: allOf(hasRole(RoleOfficer, RoleCaseworker, RoleShelterStaff), isPartner),
	ActConsentRecord:  allOf(referrers, isMemberOf),
	ActReferralSend:   referrers,
	// A referral is read by the staff of both sides: the receiver owns it, the referrer is its partner.
	ActReferralRead: allOf(hasRole(RoleOfficer, RoleCaseworker, RoleShelterStaff), anyOf(isMemberOf, isPartner)),
	ActReferralList: hasRole(RoleOfficer, RoleCaseworker, RoleShelterStaff),
	// The receiver's staff answer a referral (accept, decline, ask, start, complete); the
	// referrer's officers and caseworkers follow it up (answer a question, withdraw).
	ActReferralAnswer:   allOf(hasRole(RoleShelterStaff, RoleCaseworker), isMemberOf),
	ActReferralFollowUp: allOf(referrers, isPartner),
	// Statistics: counts only, for the competent authority and the platform's admins.
	ActStatsRead: hasRole(RoleDecisionMaker, RoleAdmin),
	// NRM: the jurisdiction's rules (referral/nrm) decide each step; these only open the door.
	// Who submits is checked again there (a first responder that recorded her).
	ActNRMSubmit: referrers,
	ActNRMQueue:  hasRole(RoleDecisionMaker),
}

// Authorize returns nil when the actor may do act to the target, ErrUnauthenticated when no one
// is signed in, and ErrForbidden otherwise. Unknown actions are refused.
func Authorize(a Actor, act Action, t Target) error {
	if a.IsSystem() {
		return nil
	}
	if a.IsZero() {
		return ErrUnauthenticated
	}
	if r, ok := rules[act]; ok && r(a, t) {
		return nil
	}
	return ErrForbidden
}

// authorizeVisible is Authorize for a record fetched by ID: an actor who may not see it is told
// it does not exist, so IDs of other organisations' records cannot be probed.
func authorizeVisible(a Actor, act Action, t Target) error {
	err := Authorize(a, act, t)
	if err == ErrForbidden {
		return ErrNotFound
	}
	return err
}

// visible returns a record fetched by ID if the actor may see it (act), and nothing of it
// otherwise (authorizeVisible's error).
func visible[T any](ctx context.Context, act Action, t Target, record T) (T, error) {
	if err := authorizeVisible(ActorFrom(ctx), act, t); err != nil {
		var zero T
		return zero, err
	}
	return record, nil
}

// authorizeChange checks that the actor may see the record (else it is not found, as for
// authorizeVisible) and may do act to it.
func authorizeChange(a Actor, read, act Action, t Target) error {
	if err := authorizeVisible(a, read, t); err != nil {
		return err
	}
	return Authorize(a, act, t)
}

// rolesByKind lists the roles a user of each kind of organisation may hold.
var rolesByKind = map[OrganisationKind][]Role{
	KindPolice:             {RoleOfficer, RoleOrgAdmin},
	KindShelter:            {RoleShelterStaff, RoleCaseworker, RoleOrgAdmin},
	KindNGO:                {RoleCaseworker, RoleOfficer, RoleOrgAdmin},
	KindSpecialisedCentre:  {RoleCaseworker, RoleShelterStaff, RoleOrgAdmin},
	KindLabourInspectorate: {RoleOfficer, RoleOrgAdmin},
	KindCompetentAuthority: {RoleDecisionMaker, RoleOrgAdmin},
	KindOther:              {RoleAdmin, RoleOrgAdmin, RoleOfficer, RoleCaseworker},
}

// RolesFor returns the roles a user of an organisation of this kind may hold.
func RolesFor(k OrganisationKind) []Role { return rolesByKind[k] }

// Capabilities is what an actor may do, as menus, home pages and boxes offer it. It is worked
// out from the rules above, for the actor's own organisation, so a page can never offer what
// the domain would refuse.
type Capabilities struct {
	RecordPeople  bool // start operations, record people, find help for them
	Inbox         bool // answer the referrals sent to the organisation
	Outbox        bool // send referrals and follow them up
	Board         bool // the shelters' beds, holds and stays
	NRMQueue      bool // decide NRM referrals
	Stats         bool // NRM statistics
	Services      bool // the organisation's services
	Users         bool // the organisation's users
	Audit         bool // the audit trail
	Organisations bool // every organisation using Harbour
}

// CapabilitiesOf is what the actor may do in their own organisation.
func CapabilitiesOf(a Actor) Capabilities {
	own := Target{OrganisationID: a.OrganisationID}
	may := func(act Action, t Target) bool { return !a.IsSystem() && Authorize(a, act, t) == nil }
	return Capabilities{
		RecordPeople: may(ActCaseCreate, own), Inbox: may(ActReferralAnswer, own), Outbox: may(ActReferralSend, own),
		Board: may(ActOccupancyRead, own), NRMQueue: may(ActNRMQueue, own), Stats: may(ActStatsRead, own),
		Services: may(ActServiceCreate, own), Users: may(ActUserList, own), Audit: may(ActAuditRead, own),
		Organisations: may(ActOrganisationList, own),
	}
}

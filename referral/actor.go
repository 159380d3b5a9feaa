package referral

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

// Role is what a user may do in their organisation.
type Role string

// Roles, as DESIGN.md names them.
const (
	RoleOfficer       Role = "officer"
	RoleShelterStaff  Role = "shelter_staff"
	RoleCaseworker    Role = "caseworker"
	RoleDecisionMaker Role = "decision_maker"
	RoleOrgAdmin      Role = "org_admin"
	RoleAdmin         Role = "admin"
)

// Roles lists every role in the order pages show them.
var Roles = []Role{RoleOfficer, RoleShelterStaff, RoleCaseworker, RoleDecisionMaker, RoleOrgAdmin, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Actor is who is acting: a signed-in user of an organisation, or the system itself (a command
// on the server, the demo loader, a background job), which is trusted and audited by name.
type Actor struct {
	UserID         uuid.UUID
	OrganisationID uuid.UUID
	Roles          []Role
	System         string
}

// SystemActor returns an actor for work not done by a signed-in person, e.g. "cli" or "demo".
func SystemActor(name string) Actor { return Actor{System: name} }

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// IsSystem reports whether the actor is the system rather than a person.
func (a Actor) IsSystem() bool { return a.System != "" }

// IsZero reports whether no one is acting (not signed in).
func (a Actor) IsZero() bool { return a.UserID == uuid.Nil && a.System == "" }

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx (the zero Actor when none).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// RequestMeta identifies the request a change came from, for the audit trail.
type RequestMeta struct {
	RequestID  string
	ClientAddr string
}

type requestKey struct{}

// WithRequest returns a context carrying the request's ID and client address.
func WithRequest(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestKey{}, m)
}

// RequestFrom returns the request metadata carried by ctx.
func RequestFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestKey{}).(RequestMeta)
	return m
}

type identityKey struct{}

// WithIdentity returns a context carrying the signed-in identity and its actor.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return WithActor(context.WithValue(ctx, identityKey{}, id), id.Actor())
}

// IdentityFrom returns the signed-in identity carried by ctx, and whether there is one.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

func userOf(a Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	return &a.UserID
}

func orgOf(a Actor) *uuid.UUID {
	if a.OrganisationID == uuid.Nil {
		return nil
	}
	return &a.OrganisationID
}

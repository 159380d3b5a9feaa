package api_test

import (
	"context"

	"github.com/harbour-nrm/harbour/referral"
)

func asUser(f *fixture, name string) context.Context {
	u := f.users[name]
	return referral.WithActor(context.Background(), referral.Actor{UserID: u.ID, OrganisationID: u.OrganisationID, Roles: u.Roles})
}

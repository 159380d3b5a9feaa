package hsds

import (
	"fmt"
	"math"
	"strings"

	"github.com/harbour-nrm/harbour/referral"
)

// capacities reads beds and family rooms (by Harbour's unit IDs, or a unit named or identified
// as such); other units are ignored. The capacity is the maximum; the count available is
// Harbour's to compute from holds and placements.
func (imp *importer) capacities(list []ServiceCapacity, complete bool, category referral.Category, in *referral.ServiceInput) {
	capacity := map[referral.Unit]int{}
	for i, c := range list {
		f := fmt.Sprintf("capacities[%d]", i)
		unit, ok := unitOf(c.Unit)
		if !ok {
			name := ""
			if c.Unit != nil {
				name = c.Unit.Name
			}
			imp.warn(f+".unit", warnUnitUnknown, map[string]any{"Unit": name})
			continue
		}
		v := c.Maximum
		switch {
		case v == nil && c.Available != nil:
			imp.warn(f+".maximum", warnCapacityNoMaximum, nil)
			v = c.Available
		case v != nil && c.Available != nil && *c.Available > *v:
			imp.warn(f+".available", warnCapacityOver, map[string]any{"Available": *c.Available, "Maximum": *v})
		}
		if v == nil || *v != math.Trunc(*v) || *v < 0 || *v > 10000 {
			imp.warn(f+".maximum", warnCapacityInvalid, map[string]any{"Value": deref(v)})
			continue
		}
		capacity[unit] = int(*v)
	}
	if category != referral.CategoryShelter {
		if len(capacity) > 0 {
			imp.warn("capacities", warnCapacityNotShelter, nil)
		}
		return
	}
	if len(capacity) > 0 || complete {
		in.Capacity = capacity
	}
}

// unitOf reads a capacity's unit as Harbour's bed or family room.
func unitOf(u *Unit) (referral.Unit, bool) {
	if u == nil {
		return "", false
	}
	switch id := strings.ToLower(strings.TrimSpace(u.ID)); id {
	case UnitBedID.String():
		return referral.UnitBed, true
	case UnitFamilyRoomID.String():
		return referral.UnitFamilyRoom, true
	}
	for _, v := range []string{u.Identifier, u.Name} {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "bed", "beds":
			return referral.UnitBed, true
		case "family_room", "family room", "family rooms":
			return referral.UnitFamilyRoom, true
		}
	}
	return "", false
}

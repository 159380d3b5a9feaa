package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Home is the work waiting for one person, card by card, as their roles give them. A card the
// person's roles do not give is nil. Each card is read by one statement and shows references,
// never names, so reading it is not a read of anyone's details.
type Home struct {
	Operations []HomeOperation // today's operations of the organisation (officers, caseworkers)
	WithoutBed *HomePeople     // people it recorded lately who need a bed tonight and have none
	Outbox     *HomeCount      // referrals it sent that wait for an answer
	Inbox      *HomeCount      // referrals to it that wait for its answer (shelter staff, caseworkers)
	Beds       []HomeBeds      // free places tonight at its shelters, by unit (shelter staff)
	Arrivals   *HomePeople     // people expected at its shelters: open bed holds
	NRM        *HomeNRM        // the decision maker's queue in numbers
	Admin      *HomeAdmin      // users, tokens and services of the organisation (org admins)
}

// HomeOperation is one of today's operations with how many people were recorded in it.
type HomeOperation struct {
	ID     uuid.UUID
	Name   string
	Area   string
	People int
}

// HomePeople is a count of people and the first few of them by reference.
type HomePeople struct {
	Count  int
	People []HomePerson
}

// HomePerson is one person on a home card: her reference and the record to open.
type HomePerson struct {
	CaseID    *uuid.UUID // her record, when the reader may open it
	HoldID    *uuid.UUID // the bed held for her (arrivals)
	Reference string
	At        time.Time // recorded (without a bed) or held until (arrivals)
}

// HomeCount is referrals waiting: all, the urgent ones, and those past their response time.
type HomeCount struct {
	Waiting, Urgent, Late int
}

// HomeBeds is one unit of one shelter: places free tonight of the total.
type HomeBeds struct {
	ServiceID uuid.UUID
	Name      string
	NameI18n  Texts `gorm:"serializer:json"`
	Unit      Unit
	Free      int
	Total     int
}

// HomeNRM is a decision maker's queue in numbers: decisions late, due today, and records
// submitted in the last seven days that await one.
type HomeNRM struct {
	Jurisdiction           string
	Overdue, DueToday, New int
}

// HomeAdmin is an organisation's house in numbers: active users (and those who still have to
// choose their password), live API tokens, and services that take no referrals now.
type HomeAdmin struct {
	OrganisationID    uuid.UUID
	Users, MustChange int
	Tokens            int
	NotAccepting      []Service
}

// homePeopleShown is how many people a card lists by reference; the count says the rest.
const homePeopleShown = 5

// Home reads the signed-in person's home: every card their roles give them, in one transaction.
func (d *Domain) Home(ctx context.Context) (Home, error) {
	a := ActorFrom(ctx)
	var h Home
	if a.UserID == uuid.Nil {
		return h, ErrUnauthenticated
	}
	own := Target{OrganisationID: a.OrganisationID}
	err := d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := d.Now()
		local, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		cards := []struct {
			act  Action
			read func() error
		}{
			{ActOperationList, func() error { return h.readOperations(tx, a, local) }},
			{ActOperationList, func() error { return h.readWithoutBed(tx, a, now) }},
			{ActReferralSend, func() error { h.Outbox, err = waiting(tx, "from_organisation_id", a, now); return err }},
			{ActOccupancyRead, func() error { return h.readBeds(tx, a, now) }},
			{ActOccupancyRead, func() error { return h.readArrivals(tx, a, now) }},
			{ActNRMQueue, func() error { return d.readNRMHome(tx, &h, a, now) }},
			{ActUserList, func() error { return h.readAdmin(tx, a, now) }},
		}
		for _, c := range cards {
			if Authorize(a, c.act, own) != nil {
				continue
			}
			if err := c.read(); err != nil {
				return err
			}
		}
		if Authorize(a, ActReferralAnswer, own) == nil { // the inbox is theirs to answer
			h.Inbox, err = waiting(tx, "to_organisation_id", a, now)
		}
		return err
	})
	return h, err
}

func (h *Home) readOperations(tx *gorm.DB, a Actor, local time.Time) error {
	h.Operations = []HomeOperation{}
	return tx.Raw(`SELECT o.id, o.name, o.area, (SELECT count(*) FROM cases c WHERE c.operation_id = o.id) AS people
		FROM operations o WHERE o.organisation_id = ? AND o.day = ?::date ORDER BY o.created_at DESC LIMIT 10`,
		a.OrganisationID, local.Format(time.DateOnly)).Scan(&h.Operations).Error
}

// readWithoutBed lists people the organisation recorded in the last two days who need a bed
// tonight and have none: no stay, no open hold, no shelter that accepted her.
func (h *Home) readWithoutBed(tx *gorm.DB, a Actor, now time.Time) error {
	var rows []struct {
		HomePerson
		Total int
	}
	err := tx.Raw(`SELECT c.id AS case_id, c.reference, c.created_at AS at, count(*) OVER () AS total
		FROM cases c WHERE c.organisation_id = ? AND c.needs @> '["bed_tonight"]' AND c.created_at > ?
		AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.case_id = c.id AND p.status = 'present')
		AND NOT EXISTS (SELECT 1 FROM holds x WHERE x.case_id = c.id AND x.status IN ('active', 'confirmed') AND x.expires_at > ?)
		AND NOT EXISTS (SELECT 1 FROM referrals r JOIN services s ON s.id = r.service_id WHERE r.case_id = c.id
			AND s.category = 'shelter' AND r.status IN ('accepted', 'in_progress'))
		ORDER BY c.created_at LIMIT ?`, a.OrganisationID, now.Add(-48*time.Hour), now, homePeopleShown).Scan(&rows).Error
	h.WithoutBed = &HomePeople{People: []HomePerson{}}
	for _, r := range rows {
		h.WithoutBed.Count = r.Total
		h.WithoutBed.People = append(h.WithoutBed.People, r.HomePerson)
	}
	return err
}

// waiting counts the referrals sent to (or by) the actor's organisation that wait for an answer.
func waiting(tx *gorm.DB, side string, a Actor, now time.Time) (*HomeCount, error) {
	var c HomeCount
	err := tx.Raw(`SELECT count(*) AS waiting, count(*) FILTER (WHERE urgent) AS urgent,
		count(*) FILTER (WHERE status = 'sent' AND respond_by < ?) AS late
		FROM referrals WHERE `+side+` = ? AND status IN ('sent', 'info_requested')`, now, a.OrganisationID).Scan(&c).Error
	return &c, err
}

// readBeds counts the places free tonight at each of the organisation's shelters, by unit, as
// the occupancy board does: the total less people staying and open holds.
func (h *Home) readBeds(tx *gorm.DB, a Actor, now time.Time) error {
	h.Beds = []HomeBeds{}
	return tx.Raw(`SELECT s.id AS service_id, s.name, s.name_i18n, k.unit, k.total,
		greatest(k.total - k.placed - coalesce((SELECT sum(x.places) FROM holds x WHERE x.service_id = s.id AND x.unit = k.unit
			AND x.status IN ('active', 'confirmed') AND x.expires_at > ?), 0), 0) AS free
		FROM services s JOIN service_capacity k ON k.service_id = s.id
		WHERE s.organisation_id = ? AND s.category = 'shelter' AND s.active ORDER BY s.name, k.unit`, now, a.OrganisationID).
		Scan(&h.Beds).Error
}

// readArrivals lists the people expected at the organisation's shelters: open bed holds, the
// one that lapses first first.
func (h *Home) readArrivals(tx *gorm.DB, a Actor, now time.Time) error {
	var rows []struct {
		HomePerson
		Total int
	}
	err := tx.Raw(`SELECT x.id AS hold_id, x.reference, x.expires_at AS at, count(*) OVER () AS total
		FROM holds x JOIN services s ON s.id = x.service_id
		WHERE s.organisation_id = ? AND x.status IN ('active', 'confirmed') AND x.expires_at > ?
		ORDER BY x.expires_at LIMIT ?`, a.OrganisationID, now, homePeopleShown).Scan(&rows).Error
	h.Arrivals = &HomePeople{People: []HomePerson{}}
	for _, r := range rows {
		h.Arrivals.Count = r.Total
		h.Arrivals.People = append(h.Arrivals.People, r.HomePerson)
	}
	return err
}

// readNRMHome counts the decision maker's queue: late and due today by the timers that make a
// decision late (as the queue marks them), and what came in during the last week.
func (d *Domain) readNRMHome(tx *gorm.DB, h *Home, a Actor, now time.Time) error {
	var o Organisation
	if err := tx.First(&o, "id = ?", a.OrganisationID).Error; err != nil {
		return err
	}
	if o.Kind != KindCompetentAuthority {
		return nil
	}
	j := d.jurisdictionOf(o)
	var due []string
	for name, t := range j.Timers {
		if t.Overdue {
			due = append(due, name)
		}
	}
	today := j.Today(now)
	var n struct{ Overdue, DueToday, New int }
	err := tx.Raw(`SELECT count(*) FILTER (WHERE next_timer IN ? AND next_on < ?::date) AS overdue,
		count(*) FILTER (WHERE next_timer IN ? AND next_on = ?::date) AS due_today,
		count(*) FILTER (WHERE submitted_on > ?::date) AS new
		FROM nrm_records WHERE jurisdiction = ? AND kind = ? AND awaiting <> ''`,
		append(due, ""), today.String(), append(due, ""), today.String(), today.AddDays(-7).String(), j.Code, NRMReferral).
		Scan(&n).Error
	h.NRM = &HomeNRM{Jurisdiction: j.Code, Overdue: n.Overdue, DueToday: n.DueToday, New: n.New}
	return err
}

// readAdmin counts the organisation's users, live tokens and the services that take no
// referrals now (a paused service is easy to forget).
func (h *Home) readAdmin(tx *gorm.DB, a Actor, now time.Time) error {
	var n struct{ Users, MustChange, Tokens int }
	err := tx.Raw(`SELECT count(*) FILTER (WHERE u.active) AS users, count(*) FILTER (WHERE u.active AND u.must_change_password) AS must_change,
		(SELECT count(*) FROM api_tokens t JOIN users v ON v.id = t.user_id WHERE v.organisation_id = ? AND t.revoked_at IS NULL) AS tokens
		FROM users u WHERE u.organisation_id = ?`, a.OrganisationID, a.OrganisationID).Scan(&n).Error
	h.Admin = &HomeAdmin{OrganisationID: a.OrganisationID, Users: n.Users, MustChange: n.MustChange, Tokens: n.Tokens, NotAccepting: []Service{}}
	if err != nil {
		return err
	}
	return tx.Select("id", "name", "name_i18n", "category").Where("organisation_id = ? AND active AND NOT accepting", a.OrganisationID).
		Order("name").Limit(20).Find(&h.Admin.NotAccepting).Error
}

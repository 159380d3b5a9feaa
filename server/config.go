package server

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is Harbour's configuration, read from the environment. README.md lists every setting
// with its default; keep the two equal.
type Config struct {
	DatabaseURL     string        // DATABASE_URL: empty starts the embedded PostgreSQL
	Addr            string        // HARBOUR_ADDR
	DataDir         string        // HARBOUR_DATA_DIR: the embedded database lives in DataDir/postgres
	Demo            bool          // HARBOUR_DEMO: "0" keeps demo data out of a new embedded database
	PublicURL       string        // HARBOUR_PUBLIC_URL: the address people use; https makes cookies Secure
	TrustedProxies  []*net.IPNet  // HARBOUR_TRUSTED_PROXIES: comma-separated CIDRs whose X-Forwarded-For is believed
	SessionIdle     time.Duration // HARBOUR_SESSION_IDLE
	SessionLifetime time.Duration // HARBOUR_SESSION_LIFETIME
	LogLevel        slog.Level    // HARBOUR_LOG_LEVEL: debug, info, warn or error
	SMTPURL         string        // HARBOUR_SMTP_URL: smtp://user:pass@host:587 or smtps://…:465; empty writes e-mails to DataDir/log/mail
	MailFrom        string        // HARBOUR_MAIL_FROM: the sender of notification e-mails
	NRMDir          string        // HARBOUR_NRM_DIR: jurisdiction files (*.toml) replacing the shipped ones of the same name
}

// DefaultConfig returns the configuration with no environment set.
func DefaultConfig() Config {
	return Config{
		Addr: "127.0.0.1:8080", DataDir: "./data", Demo: true,
		SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour, LogLevel: slog.LevelInfo,
		MailFrom: "Harbour <noreply@harbour.invalid>",
	}
}

// LoadConfig reads the configuration from getenv, reporting every bad value at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	var bad []string
	str := func(name string, dst *string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				bad = append(bad, fmt.Sprintf("%s=%q is not a positive duration like 30m", name, v))
			}
			*dst = d
		}
	}
	str("DATABASE_URL", &c.DatabaseURL)
	str("HARBOUR_ADDR", &c.Addr)
	str("HARBOUR_DATA_DIR", &c.DataDir)
	str("HARBOUR_PUBLIC_URL", &c.PublicURL)
	str("HARBOUR_SMTP_URL", &c.SMTPURL)
	str("HARBOUR_MAIL_FROM", &c.MailFrom)
	str("HARBOUR_NRM_DIR", &c.NRMDir)
	if v := getenv("HARBOUR_DEMO"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			bad = append(bad, fmt.Sprintf("HARBOUR_DEMO=%q is not 0 or 1", v))
		}
		c.Demo = on
	}
	for _, cidr := range strings.Split(getenv("HARBOUR_TRUSTED_PROXIES"), ",") {
		if cidr = strings.TrimSpace(cidr); cidr != "" {
			_, n, err := net.ParseCIDR(cidr)
			if err != nil {
				bad = append(bad, fmt.Sprintf("HARBOUR_TRUSTED_PROXIES: %q is not a CIDR like 10.0.0.0/8", cidr))
				continue
			}
			c.TrustedProxies = append(c.TrustedProxies, n)
		}
	}
	dur("HARBOUR_SESSION_IDLE", &c.SessionIdle)
	dur("HARBOUR_SESSION_LIFETIME", &c.SessionLifetime)
	if v := getenv("HARBOUR_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad = append(bad, fmt.Sprintf("HARBOUR_LOG_LEVEL=%q is not debug, info, warn or error", v))
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	if len(bad) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(bad, "; "))
	}
	return c, nil
}

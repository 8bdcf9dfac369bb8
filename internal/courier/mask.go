package courier

import "strings"

// MaskEmail hides an address as Cognito's CodeDeliveryDetails do: the first character of the
// local part and of the domain, three stars each, the rest dropped (test@test.com -> t***@t***).
func MaskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***"
}

// MaskPhone keeps the plus sign and the last four digits and puts one star per hidden digit
// (+15555550123 -> +*******0123).
func MaskPhone(number string) string {
	digits := strings.TrimPrefix(number, "+")
	if len(digits) <= 4 {
		return number
	}
	hidden := len(digits) - 4
	return "+" + strings.Repeat("*", hidden) + digits[hidden:]
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

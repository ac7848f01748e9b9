package io.rollcall.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Typed reads of the {@link Variables}. A variable that is unset or blank takes its declared default; one that is
 * set but malformed is an error naming it: silently falling back to a default would hide a misconfigured
 * deployment. Only the declared variables can be read, so each name and default exists once.
 */
public record EnvSettings(Map<String, String> env) {

    /** The variable's value, trimmed; its literal default when unset; null when it has none. */
    public String string(Variable v) {
        String value = env.get(v.name());
        return value == null || value.isBlank() ? v.defaultValue() : value.trim();
    }

    /** For a variable whose default is derived at start: the value, or {@code derivedDefault} when unset. */
    public String string(Variable v, String derivedDefault) {
        String value = string(v);
        return value == null ? derivedDefault : value;
    }

    /** Whether the variable is set to something other than blanks, so that its default does not apply. */
    public boolean isSet(Variable v) {
        String value = env.get(v.name());
        return value != null && !value.isBlank();
    }

    /**
     * Every member of the family {@code v} ({@code KAFKA_CLIENT_*}) that is set, by full variable name, values as set
     * (a password may end in a space), in name order; blank ones are left out like any unset variable.
     */
    public SortedMap<String, String> family(Variable v) {
        if (!v.isFamily()) {
            throw new IllegalArgumentException(v.name() + " is a single variable, not a family");
        }
        SortedMap<String, String> members = new TreeMap<>();
        env.forEach((name, value) -> {
            if (v.covers(name) && value != null && !value.isBlank()) {
                members.put(name, value);
            }
        });
        return members;
    }

    /** The value exactly as set (a password may end in a space); null when unset or empty. */
    public String raw(Variable v) {
        String value = env.get(v.name());
        return value == null || value.isEmpty() ? null : value;
    }

    public long integer(Variable v) {
        return parseInteger(v, string(v));
    }

    public long integer(Variable v, long derivedDefault) {
        String value = string(v);
        return value == null ? derivedDefault : parseInteger(v, value);
    }

    public double decimal(Variable v) {
        return parseDecimal(v, string(v));
    }

    public double decimal(Variable v, double derivedDefault) {
        String value = string(v);
        return value == null ? derivedDefault : parseDecimal(v, value);
    }

    public boolean flag(Variable v) {
        String value = string(v);
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(v.name() + " must be true or false, got '" + value + "'");
        };
    }

    /** A time zone ({@code Europe/London}, {@code UTC}, {@code +01:00}), or {@code derivedDefault} when unset. */
    public ZoneId zone(Variable v, ZoneId derivedDefault) {
        String value = string(v);
        if (value == null) {
            return derivedDefault;
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(v.name() + " must be a time zone such as Europe/London, got '" + value + "'");
        }
    }

    /** A comma-separated list, items trimmed, empty items dropped; empty when unset. */
    public List<String> list(Variable v) {
        String value = string(v);
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static long parseInteger(Variable v, String value) {
        if (value == null) {
            throw new IllegalArgumentException(v.name() + " is not set");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(v.name() + " must be an integer, got '" + value + "'");
        }
    }

    private static double parseDecimal(Variable v, String value) {
        if (value == null) {
            throw new IllegalArgumentException(v.name() + " is not set");
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(v.name() + " must be a number, got '" + value + "'");
        }
    }
}

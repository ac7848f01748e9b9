package io.rollcall.config;

import java.util.Objects;

/**
 * One environment variable Rollcall reads, with its single default. Every variable is declared once, in
 * {@link Variables}; the README's configuration table is checked against that list. A name ending in {@code *}
 * declares a family: every variable that starts with the part before the star ({@code KAFKA_CLIENT_*}).
 *
 * @param name         the variable's name, e.g. {@code PORT}, or a family's, e.g. {@code KAFKA_CLIENT_*}
 * @param defaultValue the value used when the variable is unset or blank, exactly as a user would write it; null
 *                     when unset means "none" or a value derived at start (see {@code defaultText})
 * @param defaultText  how the README states the default: the literal in backticks, or words for a derived default
 */
public record Variable(String name, String defaultValue, String defaultText) {

    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultText, "defaultText");
    }

    /** A variable whose default is a literal value. */
    static Variable literal(String name, String defaultValue) {
        return new Variable(name, defaultValue, "`" + defaultValue + "`");
    }

    /** A variable without a literal default: unset means none, or a value worked out at start. */
    static Variable derived(String name, String defaultText) {
        return new Variable(name, null, defaultText);
    }

    /** A family of variables sharing a prefix, each unset unless set: {@code KAFKA_CLIENT_*}. */
    static Variable family(String name, String defaultText) {
        if (!name.endsWith("_*")) {
            throw new IllegalArgumentException("A family's name ends in _*, got " + name);
        }
        return new Variable(name, null, defaultText);
    }

    public boolean isFamily() {
        return name.endsWith("*");
    }

    /** What every member of a family starts with ({@code KAFKA_CLIENT_}); for a single variable, its name. */
    public String prefix() {
        return isFamily() ? name.substring(0, name.length() - 1) : name;
    }

    /** Whether {@code variableName} is this variable, or a member of this family. */
    public boolean covers(String variableName) {
        return isFamily() ? variableName.startsWith(prefix()) && variableName.length() > prefix().length()
                : variableName.equals(name);
    }

    public boolean hasLiteralDefault() {
        return defaultValue != null;
    }

    @Override
    public String toString() {
        return name;
    }
}

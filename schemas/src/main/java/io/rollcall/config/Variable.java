package io.rollcall.config;

import java.util.Objects;

/**
 * One environment variable Rollcall reads, with its single default. Every variable is declared once, in
 * {@link Variables}; the README's configuration table is checked against that list.
 *
 * @param name         the variable's name, e.g. {@code PORT}
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

    public boolean hasLiteralDefault() {
        return defaultValue != null;
    }

    @Override
    public String toString() {
        return name;
    }
}

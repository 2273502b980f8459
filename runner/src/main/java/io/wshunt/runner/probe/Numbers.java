package io.wshunt.runner.probe;

import picocli.CommandLine;

/** A whole number above zero, with {@code _} allowed as a thousands separator (50_000). */
public final class Numbers implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int number;
        try {
            number = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
        if (number <= 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not above zero");
        }
        return number;
    }
}

package io.wshunt.contract;

/**
 * One injector's part of a run that {@code count} injectors share: an even split of any total
 * (users, chat senders, a rate), the first injectors taking the remainder, so that the parts add
 * up to the whole and each injector's user ids start where the one before it ends.
 */
public record InjectorShare(int index, int count) {
    public InjectorShare {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("injector " + index + " of " + count + ": the index runs from 0 to " + (count - 1));
        }
    }

    /** This injector's part of {@code total}. */
    public int of(int total) {
        return total / count + (index < total % count ? 1 : 0);
    }

    /** What the injectors before this one take of {@code total}. */
    public int before(int total) {
        int before = 0;
        for (int i = 0; i < index; i++) {
            before += new InjectorShare(i, count).of(total);
        }
        return before;
    }
}

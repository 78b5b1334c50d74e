package dev.aio4j;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value depends on the {@link Context} of the code that
 * reads it: asyncio's
 * <a href="https://docs.python.org/3/library/contextvars.html#contextvars.ContextVar">{@code contextvars.ContextVar}</a>.
 * A value set in a task is seen by that task across its awaits, and by the
 * tasks and callbacks it creates afterwards (each gets a snapshot), never by
 * its creator or its siblings. Create variables once (a {@code static final}
 * field): a context holds them by identity.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 *
 * REQUEST_ID.set("r-42");
 * AsyncIO.createTask(() -> log(REQUEST_ID.get()));   // sees "r-42"
 * }</pre>
 *
 * <p>Threads: any; a variable reads and writes the current context of the
 * calling code ({@link Context#current()}). The variable itself is immutable.
 *
 * @param <T> the type of its values (null is a value like any other)
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    private final String name;
    private final Object defaultValue;

    /**
     * A variable without a default: {@link #get()} throws where it has no value.
     *
     * @param name its name, for messages
     * @throws NullPointerException if {@code name} is null
     */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = NO_DEFAULT;
    }

    /**
     * A variable whose {@link #get()} gives {@code defaultValue} where it has no value.
     *
     * @param name its name, for messages
     * @param defaultValue the value where it has none; may be null
     * @throws NullPointerException if {@code name} is null
     */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /**
     * Its name (for messages).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Its value in the current context, else its default.
     *
     * @return the value
     * @throws NoSuchElementException if it has neither (asyncio's {@code LookupError})
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context c = Context.current();
        if (c.contains(this)) {
            return c.get(this);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new NoSuchElementException(this + " has no value in the current context and no default");
        }
        return (T) defaultValue;
    }

    /**
     * Its value in the current context, else {@code fallback} (its default is not used).
     *
     * @param fallback the value where it has none
     * @return the value, or {@code fallback}
     */
    public T get(T fallback) {
        Context c = Context.current();
        return c.contains(this) ? c.get(this) : fallback;
    }

    /**
     * Sets its value in the current context, from now on: for the rest of
     * this task (or callback), and for the tasks and callbacks it creates from
     * now on.
     *
     * @param value the new value; may be null
     * @return a token that {@link #reset} takes to restore the value before this call
     */
    public Token<T> set(T value) {
        Context c = Context.current();
        Token<T> token = new Token<>(this, c.contains(this), c.contains(this) ? c.get(this) : null);
        Context.install(c.with(this, value));
        return token;
    }

    /**
     * Restores the value this variable had before the {@link #set} that gave
     * {@code token}: that value, or no value if it had none.
     *
     * @param token what the {@link #set} returned
     * @throws NullPointerException if {@code token} is null
     * @throws IllegalArgumentException if {@code token} was made by another variable
     * @throws IllegalStateException if {@code token} was used already (asyncio's {@code RuntimeError})
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was made by another variable, not by " + this);
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        token.used = true;
        Context c = Context.current();
        Context.install(token.hadValue ? c.with(this, token.oldValue) : c.without(this));
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    /**
     * What {@link #set} returns, for {@link #reset}: asyncio's
     * {@code contextvars.Token}. Used once; confined to the code that set it.
     *
     * @param <T> the variable's type
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final boolean hadValue;
        private final T oldValue;
        private boolean used;

        Token(ContextVar<T> var, boolean hadValue, T oldValue) {
            this.var = var;
            this.hadValue = hadValue;
            this.oldValue = oldValue;
        }

        /**
         * The variable that made it.
         *
         * @return the variable
         */
        public ContextVar<T> var() {
            return var;
        }

        /**
         * Whether the variable had a value before the set.
         *
         * @return true if it had one
         */
        public boolean hadValue() {
            return hadValue;
        }

        /**
         * The value before the set.
         *
         * @return the old value
         * @throws NoSuchElementException if it had none (asyncio's {@code Token.MISSING})
         */
        public T oldValue() {
            if (!hadValue) {
                throw new NoSuchElementException(var + " had no value before this set");
            }
            return oldValue;
        }

        @Override
        public String toString() {
            return "Token[" + var.name() + (used ? ", used" : "") + "]";
        }
    }
}

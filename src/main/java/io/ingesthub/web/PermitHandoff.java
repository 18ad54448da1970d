package io.ingesthub.web;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.stereotype.Component;

/**
 * Hands a request's in-flight permit to the task that does its work on the application task executor (where
 * platform-http runs each exchange), so the permit is given back when that work ends, not when the servlet's async
 * request times out while the work goes on.
 */
@Component
public class PermitHandoff implements TaskDecorator {

    private static final ThreadLocal<Permit> OFFERED = new ThreadLocal<>();

    /** One taken permit, given back once. */
    public static final class Permit {

        private final Semaphore semaphore;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        public Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        /** Whether a task took the permit over (it gives it back when it ends). */
        public boolean claimed() {
            return claimed.get();
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
            }
        }
    }

    /** Offers {@code permit} to the first task the current thread submits until {@link #withdraw()}. */
    public static void offer(Permit permit) {
        OFFERED.set(permit);
    }

    public static void withdraw() {
        OFFERED.remove();
    }

    @Override
    public Runnable decorate(Runnable task) {
        Permit permit = OFFERED.get();
        if (permit == null || !permit.claimed.compareAndSet(false, true)) {
            return task;
        }
        OFFERED.remove();
        return () -> {
            try {
                task.run();
            } finally {
                permit.release();
            }
        };
    }
}

package io.ingesthub.replay;

/** A replay that cannot start as asked: the status, problem slug and title the operator endpoint answers with. */
public class ReplayRefusedException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    public ReplayRefusedException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}

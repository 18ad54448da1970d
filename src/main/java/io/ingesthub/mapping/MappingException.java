package io.ingesthub.mapping;

/** A mapping file the hub refuses: names the file, the field (when there is one) and the problem. */
public class MappingException extends RuntimeException {

    private final String file;
    private final String field;
    private final String problem;

    public MappingException(String file, String field, String problem) {
        super(file + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
        this.file = file;
        this.field = field;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}

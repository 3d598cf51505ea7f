package dev.breakwater.chain;

public record QualityVerdict(boolean accepted, String reason) {

    public static QualityVerdict accept() {
        return new QualityVerdict(true, null);
    }

    public static QualityVerdict reject(String reason) {
        return new QualityVerdict(false, reason);
    }
}

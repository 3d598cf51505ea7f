package dev.breakwater.factors;

/** An emission factor: {@code factor} {@code unit} (e.g. 0.207 kgCO2e/kWh) and where the number comes from. */
public record Factor(double factor, String unit, String reference) {
}

package org.fleethealth.health;

/** The binomial tail: how likely {@code x} or more failures in {@code n} builds are at a failure rate {@code p}. */
final class Binomial {

	private Binomial() {
	}

	/** P(X &gt;= x) for X ~ Binomial(n, p). */
	static double tail(int x, int n, double p) {
		if (x <= 0) {
			return 1.0;
		}
		if (x > n) {
			return 0.0;
		}
		if (p <= 0) {
			return 0.0;
		}
		if (p >= 1) {
			return 1.0;
		}
		double logP = Math.log(p);
		double logQ = Math.log1p(-p);
		double sum = 0;
		for (int k = x; k <= n; k++) {
			sum += Math.exp(logChoose(n, k) + k * logP + (n - k) * logQ);
		}
		return Math.min(1.0, sum);
	}

	private static double logChoose(int n, int k) {
		double log = 0;
		int m = Math.min(k, n - k);
		for (int i = 1; i <= m; i++) {
			log += Math.log(n - m + i) - Math.log(i);
		}
		return log;
	}

}

package dev.strangler.gateway.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The mismatch rate over time as an inline SVG polyline (no script, no library): x is the
 * sample, y the rate from 0 (bottom) to the highest rate shown (top, at least 5 %).
 *
 * @param points the SVG {@code points} attribute, empty when there is nothing to draw
 * @param top the rate at the top of the chart
 * @param latest the last interval's rate, {@code null} before two samples
 * @param intervals how many intervals are drawn
 */
record MismatchChart(String points, double top, Double latest, int intervals) {

	static final int WIDTH = 600;

	static final int HEIGHT = 120;

	static MismatchChart of(List<MismatchHistory.Point> history) {
		if (history.isEmpty()) {
			return new MismatchChart("", 0.05, null, 0);
		}
		double top = Math.max(0.05, history.stream().mapToDouble(MismatchHistory.Point::mismatchRate).max().orElse(0));
		int n = history.size();
		String points = IntStream.range(0, n).mapToObj((i) -> {
			double x = (n == 1) ? WIDTH : (double) i * WIDTH / (n - 1);
			double y = HEIGHT - history.get(i).mismatchRate() / top * HEIGHT;
			return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
		}).collect(Collectors.joining(" "));
		return new MismatchChart(points, top, history.get(n - 1).mismatchRate(), n);
	}

}

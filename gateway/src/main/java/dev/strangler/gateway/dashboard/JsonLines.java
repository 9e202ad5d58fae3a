package dev.strangler.gateway.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.gateway.compare.Location;

/**
 * A JSON body laid out one value per line, each line knowing its JSON path, so a diff
 * page can highlight exactly the parts that differ. Paths are spelled as the comparison
 * spells them ({@link Location}), so a reported difference finds its line.
 *
 * <pre class="code">
 * JsonLines.of("{\"id\":1,\"price\":12.5}", Set.of("$.price"));
 * // {                 $
 * //   "id": 1,        $.id
 * //   "price": 12.5   $.price   (differs)
 * // }
 * </pre>
 */
final class JsonLines {

	private static final ObjectMapper mapper = new ObjectMapper();

	private JsonLines() {
	}

	/**
	 * Lays out a body.
	 * @param text the body
	 * @param differing the JSON paths that differ; a line differs when its path is one of
	 * them or lies below one
	 * @return the lines, or one plain line per text line when the body is not complete
	 * JSON (then nothing is highlighted)
	 */
	static List<Line> of(String text, Set<String> differing) {
		JsonNode root;
		try {
			root = mapper.readTree(text);
		}
		catch (JsonProcessingException ex) {
			root = null;
		}
		if (root == null || root.isMissingNode()) {
			return text.lines().map((line) -> new Line(0, line, "", false)).toList();
		}
		List<Line> lines = new ArrayList<>();
		append(lines, root, Location.ROOT, "", "", 0, differing);
		return lines;
	}

	private static void append(List<Line> lines, JsonNode node, Location at, String key, String comma, int depth,
			Set<String> differing) {
		String path = at.toString();
		boolean differs = differs(path, differing);
		if (node.isObject() && !node.isEmpty()) {
			lines.add(new Line(depth, key + "{", path, differs));
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				append(lines, field.getValue(), at.field(field.getKey()), quote(field.getKey()) + ": ",
						fields.hasNext() ? "," : "", depth + 1, differing);
			}
			lines.add(new Line(depth, "}" + comma, path, differs));
		}
		else if (node.isArray() && !node.isEmpty()) {
			lines.add(new Line(depth, key + "[", path, differs));
			for (int i = 0; i < node.size(); i++) {
				append(lines, node.get(i), at.element(i), "", (i < node.size() - 1) ? "," : "", depth + 1, differing);
			}
			lines.add(new Line(depth, "]" + comma, path, differs));
		}
		else {
			lines.add(new Line(depth, key + node + comma, path, differs));
		}
	}

	private static boolean differs(String path, Set<String> differing) {
		for (String candidate : differing) {
			if (path.equals(candidate) || (path.startsWith(candidate) && path.length() > candidate.length()
					&& (path.charAt(candidate.length()) == '.' || path.charAt(candidate.length()) == '['))) {
				return true;
			}
		}
		return false;
	}

	private static String quote(String name) {
		try {
			return mapper.writeValueAsString(name);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One line of a laid-out body.
	 *
	 * @param depth how deep it is nested (for indentation)
	 * @param text the line's text
	 * @param path the JSON path of the value on it, empty for plain text
	 * @param differs whether that value differs between the two bodies
	 */
	record Line(int depth, String text, String path, boolean differs) {

		/** The text indented two spaces per level. */
		public String indented() {
			return "  ".repeat(this.depth) + this.text;
		}

	}

}

package dev.strangler.catalog.product;

import java.util.Locale;

/**
 * A whitelisted sort order for the product listing, parsed from {@code field[,asc|desc]}.
 * Only known columns ever reach the SQL, so {@link #orderBy()} is safe to concatenate.
 */
record ProductSort(Field field, boolean descending) {

	enum Field {

		ID("p.id"), NAME("p.name"), PRICE("p.price");

		private final String column;

		Field(String column) {
			this.column = column;
		}

	}

	static ProductSort parse(String sort) {
		String[] parts = sort.split(",", -1);
		String direction = (parts.length > 1) ? parts[1] : "asc";
		Field field = switch (parts[0]) {
			case "id" -> Field.ID;
			case "name" -> Field.NAME;
			case "price" -> Field.PRICE;
			default -> null;
		};
		if (parts.length > 2 || field == null || !(direction.equals("asc") || direction.equals("desc"))) {
			throw new InvalidQueryException(
					"sort must be <field>[,asc|desc] with field one of id, name, price (was '" + sort + "')");
		}
		return new ProductSort(field, direction.equals("desc"));
	}

	/**
	 * The ORDER BY clause, ties broken by ascending id so that paging is stable.
	 */
	String orderBy() {
		String order = this.field.column + (this.descending ? " DESC" : " ASC");
		return (this.field == Field.ID) ? order : order + ", p.id ASC";
	}

	@Override
	public String toString() {
		return this.field.name().toLowerCase(Locale.ROOT) + "," + (this.descending ? "desc" : "asc");
	}

}

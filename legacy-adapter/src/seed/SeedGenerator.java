import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Generates the shop's deterministic seed data as portable SQL (H2 and PostgreSQL).
 *
 * <p>
 * Run from the repository root with {@code java legacy-adapter/src/seed/SeedGenerator.java}. It writes:
 * <ul>
 * <li>{@code V2__catalog_seed.sql}: categories, products and stock, written byte for byte
 * to both the monolith and catalog-service, because the extracted service must start
 * from the same catalog;</li>
 * <li>{@code V3__sales_seed.sql}: customers, orders and order lines, written byte for
 * byte to both the monolith and orders-service;</li>
 * <li>{@code V2__product_seed.sql} (orders-service only): the id, SKU and name of every
 * product, which order lines show.</li>
 * </ul>
 * The output depends only on this file: {@link Random} with a fixed seed is specified
 * to produce the same sequence on every JVM.
 */
public class SeedGenerator {

	static final long SEED = 20240101L;

	static final int PRODUCTS = 1000;

	static final int CUSTOMERS = 100;

	static final int ORDERS = 200;

	static final Path LEGACY = Path.of("legacy-adapter/src/main/resources/db/migration");

	static final Path CATALOG = Path.of("new-services/catalog-service/src/main/resources/db/migration");

	static final Path ORDERS_SERVICE = Path.of("new-services/orders-service/src/main/resources/db/migration");

	record Category(int id, String slug, String name, String[] nouns, String[] materials, int minCents,
			int maxCents) {
	}

	record Product(int id, String sku, String name, String description, BigDecimal price, int categoryId,
			int stock) {
	}

	static final String[] ADJECTIVES = { "Classic", "Compact", "Deluxe", "Essential", "Everyday", "Premium", "Rustic",
			"Modern", "Vintage", "Smart", "Eco", "Heavy-Duty", "Lightweight", "Handcrafted", "Nordic", "Urban",
			"Pro", "Family", "Travel", "Signature" };

	static final String[] USES = { "daily use", "small spaces", "gifting", "the whole family", "long weekends",
			"busy mornings", "beginners and experts", "indoor and outdoor use", "everyday comfort", "years of service" };

	static final List<Category> CATEGORIES = List.of(
			new Category(1, "books", "Books", new String[] { "Cookbook", "Novel", "Field Guide", "Atlas", "Poetry Collection", "Biography", "Sketchbook", "Travel Journal" },
					new String[] { "hardcover", "paperback", "linen-bound", "illustrated" }, 599, 4999),
			new Category(2, "electronics", "Electronics", new String[] { "Headphones", "Bluetooth Speaker", "USB-C Charger", "Power Bank", "Webcam", "Keyboard", "Mouse", "Smart Plug" },
					new String[] { "aluminium", "recycled plastic", "matte black", "graphite" }, 999, 29999),
			new Category(3, "garden", "Garden", new String[] { "Planter", "Watering Can", "Pruning Shears", "Garden Hose", "Bird Feeder", "Seed Tray", "Trowel", "Compost Bin" },
					new String[] { "oak", "galvanised steel", "terracotta", "bamboo" }, 399, 12999),
			new Category(4, "home", "Home", new String[] { "Throw Blanket", "Table Lamp", "Wall Clock", "Cushion Cover", "Picture Frame", "Storage Basket", "Candle Set", "Doormat" },
					new String[] { "wool", "linen", "walnut", "ceramic" }, 799, 15999),
			new Category(5, "kitchen", "Kitchen", new String[] { "Chef's Knife", "Frying Pan", "Cutting Board", "Espresso Cup Set", "Mixing Bowl", "Salad Spinner", "Teapot", "Spice Rack" },
					new String[] { "stainless steel", "cast iron", "beech", "porcelain" }, 499, 19999),
			new Category(6, "toys", "Toys", new String[] { "Building Blocks", "Puzzle", "Plush Bear", "Wooden Train", "Kite", "Board Game", "Yo-Yo", "Marble Run" },
					new String[] { "maple", "organic cotton", "recycled cardboard", "birch" }, 299, 7999),
			new Category(7, "sports", "Sports", new String[] { "Yoga Mat", "Water Bottle", "Jump Rope", "Running Belt", "Tennis Balls", "Dumbbell", "Cycling Gloves", "Foam Roller" },
					new String[] { "natural rubber", "neoprene", "stainless steel", "mesh" }, 499, 14999),
			new Category(8, "fashion", "Fashion", new String[] { "Scarf", "Beanie", "Leather Belt", "Tote Bag", "Sunglasses", "Rain Jacket", "Wool Socks", "Wallet" },
					new String[] { "merino", "organic cotton", "full-grain leather", "canvas" }, 999, 24999),
			new Category(9, "beauty", "Beauty", new String[] { "Hand Cream", "Face Serum", "Lip Balm", "Shampoo Bar", "Body Lotion", "Bath Salts", "Hair Brush", "Nail Kit" },
					new String[] { "shea butter", "argan oil", "aloe vera", "lavender" }, 299, 6999),
			new Category(10, "grocery", "Grocery", new String[] { "Olive Oil", "Coffee Beans", "Green Tea", "Dark Chocolate", "Honey", "Pasta", "Granola", "Sea Salt" },
					new String[] { "organic", "fair-trade", "single-origin", "small-batch" }, 199, 2999),
			new Category(11, "office", "Office", new String[] { "Notebook", "Fountain Pen", "Desk Organizer", "Desk Lamp", "Stapler", "Monitor Stand", "Pencil Set", "Planner" },
					new String[] { "recycled paper", "brass", "walnut", "powder-coated steel" }, 299, 8999),
			new Category(12, "pets", "Pets", new String[] { "Dog Leash", "Cat Scratcher", "Pet Bed", "Chew Toy", "Food Bowl", "Grooming Brush", "Bird Perch", "Treat Jar" },
					new String[] { "hemp", "natural rubber", "sisal", "stoneware" }, 299, 9999));

	static final String[] FIRST_NAMES = { "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ines",
			"Jonas", "Katrin", "Lukas", "Marta", "Nils", "Olivia", "Paul", "Rosa", "Simon", "Tara", "Victor",
			"Wiebke", "Yusuf", "Zoe", "Mateo", "Leonie" };

	static final String[] LAST_NAMES = { "Schmidt", "Novak", "Rossi", "García", "Dubois", "Jansen", "Kowalski",
			"Andersson", "Müller", "O'Brien", "Silva", "Horvat", "Fischer", "Lindqvist", "Moreau", "Costa", "Weber",
			"Nielsen", "Bauer", "Peeters" };

	static final String[] CITIES = { "Berlin", "Vienna", "Amsterdam", "Lyon", "Milan", "Porto", "Krakow", "Gothenburg",
			"Ghent", "Zagreb", "Dublin", "Valencia" };

	static final String[] STATUSES = { "PLACED", "PAID", "SHIPPED", "DELIVERED", "DELIVERED", "DELIVERED",
			"CANCELLED" };

	public static void main(String[] args) throws IOException {
		Random random = new Random(SEED);
		List<Product> products = products(random);
		String catalog = catalogSql(products);
		write(LEGACY.resolve("V2__catalog_seed.sql"), catalog);
		write(CATALOG.resolve("V2__catalog_seed.sql"), catalog);
		// Copied to orders-service unchanged, header line included: its bytes are what the
		// monolith's databases were migrated with (Flyway checksums them).
		String sales = salesSql(random, products);
		write(LEGACY.resolve("V3__sales_seed.sql"), sales);
		write(ORDERS_SERVICE.resolve("V3__sales_seed.sql"), sales);
		write(ORDERS_SERVICE.resolve("V2__product_seed.sql"), productSql(products));
	}

	static List<Product> products(Random random) {
		List<Product> products = new ArrayList<>();
		for (int id = 1; id <= PRODUCTS; id++) {
			Category category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
			String adjective = pick(random, ADJECTIVES);
			String noun = pick(random, category.nouns());
			String material = pick(random, category.materials());
			String name = adjective + " " + noun;
			String article = ("AEIOU".indexOf(adjective.charAt(0)) >= 0) ? "An " : "A ";
			String description = article + adjective.toLowerCase() + " " + noun.toLowerCase() + " in " + material
					+ ", made for " + pick(random, USES) + ".";
			int cents = category.minCents() + random.nextInt(category.maxCents() - category.minCents());
			// Shop prices end in .99, .49 or .00 more often than not, as real ones do.
			int ending = switch (random.nextInt(4)) {
				case 0 -> 99;
				case 1 -> 49;
				case 2 -> 0;
				default -> cents % 100;
			};
			BigDecimal price = BigDecimal.valueOf((cents / 100) * 100 + ending, 2);
			// About one product in twelve is sold out: listings must show stock 0 too.
			int stock = (random.nextInt(12) == 0) ? 0 : 1 + random.nextInt(250);
			products.add(new Product(id, "SKU-%05d".formatted(id), name, description, price, category.id(), stock));
		}
		return products;
	}

	static String catalogSql(List<Product> products) {
		StringBuilder sql = header("Catalog seed: categories, products and stock.",
				"Identical in legacy-adapter and catalog-service; do not edit, regenerate.");
		sql.append("INSERT INTO categories (id, slug, name) VALUES\n");
		sql.append(rows(CATEGORIES, (c) -> "(%d, %s, %s)".formatted(c.id(), quote(c.slug()), quote(c.name()))));
		for (List<Product> chunk : chunks(products, 100)) {
			sql.append("INSERT INTO products (id, sku, name, description, price, currency, category_id) VALUES\n");
			sql.append(rows(chunk, (p) -> "(%d, %s, %s, %s, %s, 'EUR', %d)".formatted(p.id(), quote(p.sku()),
					quote(p.name()), quote(p.description()), p.price().toPlainString(), p.categoryId())));
		}
		for (List<Product> chunk : chunks(products, 250)) {
			sql.append("INSERT INTO inventory (product_id, quantity) VALUES\n");
			sql.append(rows(chunk, (p) -> "(%d, %d)".formatted(p.id(), p.stock())));
		}
		return sql.toString();
	}

	static String productSql(List<Product> products) {
		StringBuilder sql = header("Product seed of orders-service: what order lines show of a product.",
				"Same ids, SKUs and names as the catalog seed; do not edit, regenerate.");
		for (List<Product> chunk : chunks(products, 100)) {
			sql.append("INSERT INTO products (id, sku, name) VALUES\n");
			sql.append(rows(chunk, (p) -> "(%d, %s, %s)".formatted(p.id(), quote(p.sku()), quote(p.name()))));
		}
		return sql.toString();
	}

	static String salesSql(Random random, List<Product> products) {
		StringBuilder sql = header("Sales seed: customers, orders and order lines (monolith only).",
				"Do not edit, regenerate.");
		List<String> customers = new ArrayList<>();
		for (int id = 1; id <= CUSTOMERS; id++) {
			String first = pick(random, FIRST_NAMES);
			String last = pick(random, LAST_NAMES);
			String email = (first + "." + last.replace("'", "") + id + "@example.com").toLowerCase()
				.replace("ü", "ue")
				.replace("í", "i");
			customers.add("(%d, %s, %s, %s)".formatted(id, quote(first + " " + last), quote(email),
					quote(pick(random, CITIES))));
		}
		sql.append("INSERT INTO customers (id, name, email, city) VALUES\n");
		sql.append(rows(customers, Function.identity()));

		List<String> orders = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		DateTimeFormatter timestamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
		Instant createdAt = Instant.parse("2024-01-02T08:00:00Z");
		int lineId = 0;
		for (int id = 1; id <= ORDERS; id++) {
			createdAt = createdAt.plusSeconds(600 + random.nextInt(36 * 3600));
			int customerId = 1 + random.nextInt(CUSTOMERS);
			BigDecimal total = BigDecimal.ZERO.setScale(2, RoundingMode.UNNECESSARY);
			int lineCount = 1 + random.nextInt(4);
			for (int n = 0; n < lineCount; n++) {
				Product product = products.get(random.nextInt(products.size()));
				int quantity = 1 + random.nextInt(3);
				total = total.add(product.price().multiply(BigDecimal.valueOf(quantity)));
				lines.add("(%d, %d, %d, %d, %s)".formatted(++lineId, id, product.id(), quantity,
						product.price().toPlainString()));
			}
			orders.add("(%d, %d, %s, %s, %s)".formatted(id, customerId, quote(pick(random, STATUSES)),
					quote(timestamp.format(createdAt) + "+00"), total.toPlainString()));
		}
		sql.append("INSERT INTO orders (id, customer_id, status, created_at, total) VALUES\n");
		sql.append(rows(orders, Function.identity()));
		for (List<String> chunk : chunks(lines, 250)) {
			sql.append("INSERT INTO order_lines (id, order_id, product_id, quantity, unit_price) VALUES\n");
			sql.append(rows(chunk, Function.identity()));
		}
		// Explicit ids do not advance identity columns (PostgreSQL and H2 alike).
		sql.append("ALTER TABLE orders ALTER COLUMN id RESTART WITH %d;\n".formatted(ORDERS + 1));
		sql.append("ALTER TABLE order_lines ALTER COLUMN id RESTART WITH %d;\n".formatted(lineId + 1));
		return sql.toString();
	}

	static StringBuilder header(String what, String how) {
		return new StringBuilder("-- ").append(what)
			.append("\n-- Generated by legacy-adapter/src/seed/SeedGenerator.java (seed ")
			.append(SEED)
			.append("). ")
			.append(how)
			.append("\n");
	}

	static <T> String rows(List<T> items, Function<T, String> row) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < items.size(); i++) {
			out.append("  ").append(row.apply(items.get(i))).append((i + 1 < items.size()) ? ",\n" : ";\n");
		}
		return out.toString();
	}

	static <T> List<List<T>> chunks(List<T> items, int size) {
		List<List<T>> chunks = new ArrayList<>();
		for (int from = 0; from < items.size(); from += size) {
			chunks.add(items.subList(from, Math.min(items.size(), from + size)));
		}
		return chunks;
	}

	static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

	static String quote(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
		System.out.println("wrote " + file + " (" + content.length() + " chars)");
	}

}

-- catalog-service owns the catalog: categories, products and their stock.
-- Same tables and columns as the monolith's catalog, so the seed (V2) is a byte-identical copy.

CREATE TABLE categories (
    id   BIGINT       NOT NULL PRIMARY KEY,
    slug VARCHAR(64)  NOT NULL UNIQUE,
    name VARCHAR(128) NOT NULL
);

CREATE TABLE products (
    id          BIGINT        NOT NULL PRIMARY KEY,
    sku         VARCHAR(32)   NOT NULL UNIQUE,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(1000) NOT NULL,
    price       NUMERIC(10,2) NOT NULL CHECK (price >= 0),
    currency    CHAR(3)       NOT NULL,
    category_id BIGINT        NOT NULL REFERENCES categories (id)
);

CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_name_idx ON products (name, id);
CREATE INDEX products_price_idx ON products (price, id);

CREATE TABLE inventory (
    product_id BIGINT  NOT NULL PRIMARY KEY REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity >= 0)
);

import { migrateFreshDatabase } from "./migrate";
import { TEMPLATE_DB } from "./paths";

/** Migrates one template database; every test file then works on its own copy (tests/support/setup.ts). */
export default function setup() {
  migrateFreshDatabase(TEMPLATE_DB);
}

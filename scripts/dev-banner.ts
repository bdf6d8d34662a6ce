// What npm run dev prints once it answers: a token for a user of the loaded fixture, a curl the rules
// would accept (scripts/dev-example.ts), and the commands for more tokens and more data. Each claim is
// made only when it holds for what was loaded.
import { relative } from "node:path";
import { signToken, TOKEN_LIFETIME_SECONDS } from "../lib/auth/token.ts";
import type { FixtureItem } from "../lib/store/fixture.ts";
import { devExample } from "./dev-example.ts";
import { DEFAULT_DEV_PORT } from "./dev-registry.ts";

export interface BannerOptions {
  host: string;
  http: number;
  secret: string;
  /** TOKEN_SECRET was made up for this run (so `npm run token` needs it spelt out). */
  generated: boolean;
  /** The fixture file loaded, its items, and whether the table already held some of them. */
  fixture?: { file: string; items: FixtureItem[]; alreadyThere: number };
}

/** A path as the person who typed `npm run dev` would type it (npm runs us from the project root). */
const typed = (file: string) => relative(process.env.INIT_CWD ?? process.cwd(), file) || file;

export async function bannerLines(options: BannerOptions): Promise<string[]> {
  const url = `http://${options.host}:${options.http}/api/communication/order/accept`;
  const now = Math.floor(Date.now() / 1000);
  const { fixture } = options;
  const example = fixture ? devExample(fixture.items, now) : undefined;
  const lines = ["", `Ready: POST ${url}`];
  if (example) {
    const { user, accept } = example;
    const token = await signToken(options.secret, user.id, now + TOKEN_LIFETIME_SECONDS);
    const name = user.user_name ? `${user.user_name}, ` : "";
    lines.push(`Token for user ${user.id} (${name}24 h): ${token}`);
    if (accept) {
      const which = `user ${user.id}'s quotation ${accept.quotation.id}, product ${accept.quotation.archive_id}`;
      const claim =
        fixture && fixture.alreadyThere > 0
          ? `code 0 with an order if quotation ${accept.quotation.id} is still open: the table already held ${fixture.alreadyThere} of the fixture's items, kept as they were`
          : `code 0 with an order: ${which}`;
      lines.push(
        `${accept.interfaceExample ? "Try the interface example" : "Try an accept"} (${claim}):`,
        "",
        `curl -s -X POST '${url}' -H 'content-type: application/json' -H 'accept-language: zh-CN' -H 'token: ${token}' -d '${JSON.stringify(accept.body)}'`,
        "",
      );
    } else {
      lines.push(
        `No quotation in ${typed(fixture?.file ?? "")} can be accepted now (status 2, its user active, its product published, unexpired, a valid price): add one (docs/data-model.md#fixture-files) and load it as below.`,
      );
    }
  } else {
    lines.push(
      fixture
        ? `${typed(fixture.file)} holds no user: add one (docs/data-model.md#fixture-files) and load it as below.`
        : "No fixture loaded (FIXTURE=none): make tokens for users your table holds.",
    );
  }
  const port = options.http === DEFAULT_DEV_PORT ? "" : `PORT=${options.http} `;
  lines.push(
    `Tokens: ${options.generated ? `TOKEN_SECRET=${options.secret} npm run token -- <userId>   (a random secret for this run)` : "npm run token -- <userId>   (with the same TOKEN_SECRET)"}`,
    `Load data: ${port}npm run seed -- ${fixture ? typed(fixture.file) : "<fixture.json>"}   (into this run's table: new items only, --replace overwrites)`,
    "",
    "Ctrl-C stops everything.",
    "",
  );
  return lines;
}

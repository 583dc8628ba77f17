-- Decision 049: the shop's language (its primary domain's default locale, or shop/update's primary_locale), for the
-- follow-ups' e-mail subject. Unknown (NULL) until the next profile fetch or shop/update says it.
ALTER TABLE "Shop" ADD COLUMN "primaryLocale" TEXT;

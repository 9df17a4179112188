#!/usr/bin/env python3
"""Writes a deterministic CSV for the ingest benchmark: one payment-register row per line, which
the mapping `bench/payments.yml` turns into two entities (a Person and a BankAccount) and one
link (an Ownership). All names and numbers are generated; none is a real person's.

usage: gen.py ROWS OUT.csv
"""
import random
import sys

FIRST = ["Adam", "Ali", "Anna", "Elin", "Emma", "Erik", "Fatima", "Hassan", "Ida", "Johan",
         "Jonas", "Karin", "Leo", "Lina", "Maja", "Mohammed", "Noah", "Omar", "Sara", "Wilma",
         "Åsa", "Björn", "Märta", "Örjan"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hassan", "Ali",
        "Lindqvist", "Öberg", "Sjöberg", "Ek", "Berg", "Haddad"]
CITIES = ["Malmö", "Lund", "Helsingborg", "Trelleborg", "Landskrona", "Ystad", "Eslöv"]


def iban_se(rng):
    bban = "%03d%017d" % (rng.randrange(100, 999), rng.randrange(10**16))
    bban = bban[:20]
    num = int("".join(str(int(c, 36)) for c in bban + "SE00"))
    check = 98 - num % 97
    return "SE%02d%s" % (check, bban)


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261128)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("row_id,first_name,last_name,birth_date,phone,city,iban,bank,opened\n")
        for i in range(rows):
            # about one person in four appears on several rows
            p = rng.randrange(max(1, rows * 3 // 4))
            prng = random.Random(p)
            first, last = prng.choice(FIRST), prng.choice(LAST)
            born = "%04d-%02d-%02d" % (prng.randrange(1950, 2008), prng.randrange(1, 13), prng.randrange(1, 29))
            phone = "07%d-%03d %02d %02d" % (prng.choice([0, 2, 3, 6]), prng.randrange(1000), prng.randrange(100), prng.randrange(100))
            f.write("%d,%s,%s,%s,%s,%s,%s,%s,%s\n" % (
                i, first, last, born, phone, prng.choice(CITIES), iban_se(rng),
                rng.choice(["Swedbank", "Nordea", "SEB", "Handelsbanken"]),
                "20%02d-%02d-%02d" % (rng.randrange(10, 26), rng.randrange(1, 13), rng.randrange(1, 29))))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fills a school database the way the old Node.js system leaves it, from the labelled dev photos.

Prints MySQL/MariaDB statements that add, to the spec's school tables (create them first with
worker/src/test/resources/school-schema/mysql.sql, whose four people have no photo), every dev identity:

* most identities as a Student or Teacher row whose photos are the old system's FaceData rows: ImageData the photo,
  FaceDescriptor a bare JSON array of 128 numbers (face_recognition's encoding), codes padded like nchar(10);
* PORTRAIT_ONLY identities with their first photo as the Student portrait and no FaceData row at all;
* two people whose only photo cannot be used (no face, a group photo) and two with no photo.

Usage (README, "Moving from the old system"):
  { cat worker/src/test/resources/school-schema/mysql.sql; python3 tools/legacy-school/dev_school.py ../shared/faces/dev; } \
      | mariadb -h 127.0.0.1 -u root rollcall_dev_school
"""
import csv
import pathlib
import random
import sys

TEACHERS = {"george_w_bush", "kofi_annan", "tom_hanks", "robert_downey_jr", "serena_williams"}
PORTRAIT_ONLY = {"marissa_mayer", "jeff_bezos", "rose_leslie"}
CAMPUSES = ["North", "South"]
FORMS = ["10A", "10B", "11A"]


def hex_literal(data: bytes) -> str:
    return "X'" + data.hex() + "'"


def text(value) -> str:
    return "NULL" if value is None else "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


def padded(code: str) -> str:
    return code.ljust(10)


def encoding128(seed: int) -> str:
    rng = random.Random(seed)
    return "[" + ", ".join(repr(round(rng.gauss(0, 0.1), 8)) for _ in range(128)) + "]"


def photos(folder: pathlib.Path):
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"))


def face_row(kind: str, code: str, photo, seed: int) -> str:
    image = hex_literal(photo.read_bytes()) if photo else "NULL"
    content_type = None if photo is None else ("image/png" if photo.suffix.lower() == ".png" else "image/jpeg")
    return ("INSERT INTO FaceData (PersonType, PersonCode, ImageData, FaceDescriptor, OriginalName, ContentType) VALUES ("
            f"{text(kind)}, {text(padded(code))}, {image}, {text(encoding128(seed))}, "
            f"{text(photo.name if photo else None)}, {text(content_type)});")


def main(faces: pathlib.Path) -> None:
    with open(faces / "identities.csv", newline="", encoding="utf-8") as f:
        identities = [(row["identity_slug"], row["identity"]) for row in csv.DictReader(f)]
    out = sys.stdout
    students = teachers = seed = 0
    for i, (slug, name) in enumerate(identities):
        campus = CAMPUSES[i % len(CAMPUSES)]
        own = photos(faces / slug)
        if slug in TEACHERS:
            teachers += 1
            code = f"T{100 + teachers}"
            out.write("INSERT INTO Teacher (TeacherCode, TeacherName, Campus, Department) VALUES ("
                      f"{text(padded(code))}, {text(name)}, {text(campus)}, 'Staff');\n")
            kind = "teacher"
        else:
            students += 1
            code = f"S{100 + students}"
            portrait = hex_literal(own[0].read_bytes()) if slug in PORTRAIT_ONLY else "NULL"
            out.write("INSERT INTO Student (StudentCode, StudentName, Campus, Form, StudentImage) VALUES ("
                      f"{text(padded(code))}, {text(name)}, {text(campus)}, {text(FORMS[i % len(FORMS)])}, {portrait});\n")
            kind = "student"
        if slug in PORTRAIT_ONLY:
            continue
        for photo in own:
            seed += 1
            out.write(face_row(kind, code, photo, seed) + "\n")
    # People whose one photo cannot be used, and people with none (a row without a photo, and no row at all).
    extras = [("S900", "No Face", faces / "_noface" / "01.jpg"), ("S901", "Group Photo", faces / "_group" / "01.jpg"),
              ("S902", "Descriptor Only", None)]
    for code, name, photo in extras:
        out.write("INSERT INTO Student (StudentCode, StudentName, Campus, Form) VALUES ("
                  f"{text(padded(code))}, {text(name)}, 'North', '10A');\n")
        seed += 1
        out.write(face_row("student", code, photo, seed) + "\n")
    out.write("INSERT INTO Student (StudentCode, StudentName, Campus, Form) VALUES "
              f"({text(padded('S903'))}, 'Not Photographed', 'South', '11A');\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: dev_school.py <faces/dev folder>")
    main(pathlib.Path(sys.argv[1]))

# SPDX-License-Identifier: GPL-2.0-or-later
# ecs-check.jq: the errors of one ECS record (trace-execd-ecs) against the
# pinned table ($table: tests/ecs/ecs-fields.tsv read with --rawfile), one
# string per error; an empty array when the record is right.
# A field not in the table, a value of the wrong type (or empty), or a
# required field missing is an error.
def table:
  [$table | split("\n")[] | select(length > 0 and (startswith("#") | not))
   | split("\t") | {key: .[0], value: {type: .[1], need: .[2]}}] | from_entries;
def leaves($t):
  # dotted names down to a field of the table (arrays and trace_execd are leaves)
  def walk($p):
    if ($t[$p] != null) or (type != "object") then [$p, .]
    else to_entries[] | .key as $k | .value | walk(if $p == "" then $k else $p + "." + $k end)
    end;
  walk("");
def date_ok: type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$");
def type_ok($ty):
  if $ty == "date" then date_ok
  elif $ty == "long" then type == "number" and . == floor
  elif $ty == "keyword[]" then type == "array" and length > 0 and all(.[]; type == "string")
  elif $ty == "object" then type == "object" and length > 0
  else type == "string" and length > 0 end;
. as $r
| table as $t
| (($r.event.category // []) | index("process")) as $exec
| [ $r | leaves($t) as [$name, $v]
    | if $t[$name] == null then "\($name): not an ECS field of the table"
      elif ($v | type_ok($t[$name].type) | not) then "\($name): \($v | tojson) is not a \($t[$name].type)"
      else empty end ]
  + [ $t | to_entries[]
      | select(.value.need == "all" or (.value.need == "exec" and $exec != null))
      | .key as $k
      | select($r | getpath($k | if . == "@timestamp" then [.] else split(".") end) == null)
      | "\(.key): missing" ]

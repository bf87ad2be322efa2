x = ("a"
 "\N{NOPE}")

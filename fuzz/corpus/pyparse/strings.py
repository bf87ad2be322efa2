x = 'single' "double" '''triple''' """triple"""
x = '\u200b\xa0\x00\x7f\x80\ud800\U0001F600é"\'' "'" '"' "\\"
x = b"'\"", b"'", b'"'
x = "\t\r\n", b"\xff\x80"
x = "a" "b" 'c' """d""" '''e'''
x = b"a" b"b"
x = u"a" "b"
x = "a" u"b"
x = r"\n" R"\n"
x = Rb"\n" BR"\n" rB"\n" br'\d'
x = "\N{LATIN SMALL LETTER A}\x41\101\u0041\U00000041\0\7\777"
x = b"\101\x41\0\777"
x = "\q\w", b"\q"
x = """a
b\
c"""
x = "a\
b"
x = '''a\tb\x0c'''
y = 'caf\xe9'
x = "\N{EM DASH}"
x = '\x7f\x9f\xad\u0378\u2028\u3000\ufeff\U000e0001\U0010ffff\udfff'
x = 'it\'s' "say \"hi\"" 'both \' and "'
x = b'it\'s' b"say \"hi\"" b'both \' and "'
x = ''
x = b''
x = 'ü ß 中文 😀'
"""Module docstring
spanning lines"""

x = f"a{b!r:>{w}}c{d=}" "e"
x = f"{x!r:^{w}.{p}f}" f'{a["b"]}' rf"\{x}\n" f"\N{BULLET} {y}" f"{{}}" f"{3.14:.2f}" f"{x = !s}"
x = f"{x=:>10}" f"{ x = }" f"{a,b}" f"{yield}" f"{(lambda: 1)()}" f"""{
x
+ y}""" f"{'a' 'b'}"
x = u"a" "b" f"c" u"d"
x = u"x" f"{y}" "z"
x = F"{x}" fR"{x}\n" Rf"{x}"
x = f'{x:{y}}' f'{x:{y}d}' f'{x:a{y}b{z}c}' f'{x!r:}' f'{x:{{}}>10}'
x = f'{a!s}' f'{a!a}' f'{1:{2:3}}'
x = f'\N{EM DASH}{x}'
x = f'''{
1 + 2
}'''
x = f'{x!r}' f"{'a'!r}"
x = f'{a:=10}'
x = f'{a==b}' f'{a!=b}' f'{a<=b}' f'{a>=b}' f'{a<b}' f'{a>b}'
x = f'{x:{y!r}}' f'{x=!r:10}'
x = 'a' f'' 'b'
x = f'' ''
x = '' f'{x}' ''
x = f'{x}' f'' f'{y}'
x = f'{x}' 'abc' f'{y}' 'de'
print(f'{x:%Y-%m-%d}')
x = f"{x for x in y}"
x = f"{*a,}"
x = f"{a}{b}{c}"
x = f"{'{'}" f'{"}"}'
x = f"{x:}" f"{x!s:}"
x = f"{d['key']}" f'{d["key"]!r:>{width}}'
x = f"""{x}
line two {y!a}"""
x = f"{3!r}" f"{3.0=}" f"{-x}"
x = f"{a if b else c}" f"{[1, 2][0]}" f"{ {1: 2}[1] }"

café = 1
π = 3.14
变量 = café + π
class Ünïcode:
    def métode(self, ñ=1): return ñ
_ = [ä for ä in "äö"]
